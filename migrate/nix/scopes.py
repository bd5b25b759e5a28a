"""Lexical scope questions on the concrete tree: which names an expression takes
from its surroundings, and which construct binds a name at a given place.

They decide whether an expression can be copied from one place of a file to
another and still mean the same: it can when every name it takes from outside
is bound by the same construct at both places (`let`, `rec { }`, a function's
arguments), or by none at either place (builtins, or the same `with`).
"""

from __future__ import annotations

from typing import Optional

from pynix_parser import SyntaxNode

from migrate.nix.query import same_node, string_constant

_BINDING_BLOCKS = ("NODE_LET_IN", "NODE_LEGACY_LET")


def free_variables(node: SyntaxNode) -> list[str]:
    """The names NODE reads from outside itself, in order of first use."""
    found: dict[str, None] = {}
    _free(node, frozenset(), found)
    return list(found)


def _free(node: SyntaxNode, bound: frozenset, found: dict) -> None:
    kind = node.kind()
    if kind == "NODE_IDENT":
        name = node.text()
        if name not in bound:
            found.setdefault(name, None)
        return
    if kind in ("NODE_SELECT", "NODE_HAS_ATTR"):
        subject, attrpath, *default = node.children()
        _free(subject, bound, found)
        _attrpath(attrpath, bound, found)
        for rest in default:  # `a.b or c`
            _free(rest, bound, found)
        return
    if kind == "NODE_ATTR_SET" or kind in _BINDING_BLOCKS:
        _bindings(node, bound, found, recursive=kind != "NODE_ATTR_SET" or _is_rec(node))
        return
    if kind == "NODE_LAMBDA":
        inner = bound | lambda_names(node)
        argument, body = node.children()[0], node.children()[-1]
        if argument.kind() == "NODE_PATTERN":
            for entry in argument.find_children_by_kind("NODE_PAT_ENTRY"):
                for default in entry.children()[1:]:
                    _free(default, inner, found)
        _free(body, inner, found)
        return
    for child in node.children():
        _free(child, bound, found)


def _attrpath(attrpath: SyntaxNode, bound: frozenset, found: dict) -> None:
    """Attribute names are not variables; what `${...}` interpolates is."""
    for part in attrpath.children():
        if part.kind() != "NODE_IDENT":
            _free(part, bound, found)


def _bindings(node: SyntaxNode, bound: frozenset, found: dict, recursive: bool) -> None:
    inner = bound | binding_names(node) if recursive else bound
    for child in node.children():
        kind = child.kind()
        if kind == "NODE_ATTRPATH_VALUE":
            attrpath, value = child.children()[:2]
            _attrpath(attrpath, bound, found)
            _free(value, inner, found)
        elif kind == "NODE_INHERIT":
            source = next((part for part in child.children() if part.kind() == "NODE_INHERIT_FROM"), None)
            if source is not None:
                _free(source.first_child(), inner, found)
            else:  # `inherit x;` reads x from the scope around the set or let
                for name in _inherit_names(child):
                    if name not in bound:
                        found.setdefault(name, None)
        else:  # a let's body
            _free(child, inner, found)


def binding_names(node: SyntaxNode) -> frozenset:
    """The names a let, legacy let or rec set binds (first attribute of each path)."""
    names = set()
    for child in node.children():
        kind = child.kind()
        if kind == "NODE_ATTRPATH_VALUE":
            first = child.first_child().first_child()
            if first is not None and first.kind() == "NODE_IDENT":
                names.add(first.text())
            elif first is not None and first.kind() == "NODE_STRING":
                constant = string_constant(first)
                if constant is not None:
                    names.add(constant)
        elif kind == "NODE_INHERIT":
            names.update(_inherit_names(child))
    return frozenset(names)


def _inherit_names(inherit: SyntaxNode) -> list[str]:
    return [part.text() for part in inherit.children() if part.kind() == "NODE_IDENT"]


def lambda_names(node: SyntaxNode) -> frozenset:
    argument = node.first_child()
    if argument.kind() == "NODE_IDENT_PARAM":
        return frozenset([argument.first_child().text()])
    names = {entry.first_child().text() for entry in argument.find_children_by_kind("NODE_PAT_ENTRY")}
    bind = next((part for part in argument.children() if part.kind() == "NODE_PAT_BIND"), None)
    if bind is not None:
        names.add(bind.first_child().text())
    return frozenset(names)


def is_rec(node: SyntaxNode) -> bool:
    first = node.first_token()
    return first is not None and first.kind() == "TOKEN_REC"


_is_rec = is_rec


def binder(node: SyntaxNode, name: str) -> Optional[SyntaxNode]:
    """The construct that binds NAME for an expression written at NODE: a let, rec set or
    function around it, or None (a builtin, a `with`, or nothing)."""
    child, parent = node, node.parent()
    while parent is not None:
        kind = parent.kind()
        if kind == "NODE_LAMBDA":
            if name in lambda_names(parent):  # in scope in the body and in the pattern's defaults
                return parent
        elif kind in _BINDING_BLOCKS or (kind == "NODE_ATTR_SET" and _is_rec(parent)):
            if name in binding_names(parent):
                return parent
        child, parent = parent, parent.parent()
    return None


def withs_around(node: SyntaxNode) -> list[tuple[int, int]]:
    """The `with` expressions whose body holds NODE, innermost first (by range)."""
    found = []
    child, parent = node, node.parent()
    while parent is not None:
        if parent.kind() == "NODE_WITH" and same_node(child, parent.last_child()):
            found.append(parent.text_range())
        child, parent = parent, parent.parent()
    return found


def means_the_same(name: str, here: SyntaxNode, there: SyntaxNode) -> bool:
    """Whether NAME, read at HERE, and NAME read at THERE (same file) are the same binding."""
    first, second = binder(here, name), binder(there, name)
    if first is not None or second is not None:
        return first is not None and second is not None and same_node(first, second)
    # A builtin, or a name a `with` provides: the same only under the same `with`s.
    return withs_around(here) == withs_around(there)
