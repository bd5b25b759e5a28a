"""Several hosts written as literal `nixosSystem { ... }` calls in flake.nix become calls
of a `mkHost` in the outputs' `let`: the helper holds what the hosts share (the same
function, `system`, `specialArgs`, the modules every host lists first, the entry module
under a folder named after the host) and wires Home Manager inside; each host keeps only
its own part:

    nimbus = mkHost "nimbus" {
      users.alice.imports = [ ./modules/home/alice/home.nix ];
    };

A host is factored only when the helper evaluates to what it was: the same arguments
(token by token, every name meaning the same in the `let`), its modules in the same
order (its own after the shared ones), the same Home Manager settings apart from its
users, and no comment of it lost. The others keep their literal definition and get
Home Manager in their own modules list (host_forms.py).
"""

from __future__ import annotations

from typing import Optional

import pynix_parser

from migrate.nix import emit, query, scopes
from migrate.plan.file_edits import indent_of
from migrate.plan.host_forms import shared_call, written_call

FORM_MK_HOST = "the flake's mkHost"
_NAMES = ("mkHost", "mkNixosHost")
_PARAMETERS = ("name", "users", "modules")


class _Host:
    """One host whose value in the outputs set is `<function> { ... modules = [ ... ]; }`."""

    def __init__(self, editor, host, wiring, value, function, arguments, list_node):
        self.editor = editor
        self.host = host
        self.wiring = wiring
        self.value = value
        self.function = function
        self.arguments = arguments
        self.list_node = list_node
        self.elements = list_node.children()
        self.bindings = [child for child in arguments.children()
                         if child.kind() in ("NODE_ATTRPATH_VALUE", "NODE_INHERIT") and not _is_modules(child)]
        self.function_text = editor.planned_text(*function.text_range())
        self.binding_texts = [editor.planned_text(*node.text_range()) for node in self.bindings]
        self.element_texts = [editor.planned_text(*node.text_range()) for node in self.elements]

    def key(self) -> tuple:
        """What hosts must share to be built by one helper."""
        return (_tokens(self.function_text), tuple(_tokens(text) for text in self.binding_texts),
                self.wiring.shared_key())

    def element_key(self, index: int) -> tuple:
        return _tokens(self.pattern(index))

    def pattern(self, index: int) -> str:
        """The element's text, a path with the host's name as a folder written `${name}`."""
        text = self.element_texts[index]
        if self.elements[index].kind() != "NODE_PATH_REL":
            return text
        parts = text.split("/")
        at = [i for i, part in enumerate(parts) if part == self.host.name]
        if len(at) != 1 or at[0] == 0:
            return text
        parts[at[0]] = "${name}"
        return "/".join(parts)

    def own_comments(self, shared: int) -> bool:
        """Whether every comment in the host's value stays: inside a shared argument (the
        helper holds it, as written) or among its own modules (after the SHARED first)."""
        kept = [node.text_range() for node in self.bindings]
        list_start, list_end = self.list_node.text_range()
        after = self.elements[shared - 1].text_range()[1] if shared else list_start
        kept.append((after, list_end))
        for element in self.value.descendants_with_tokens():
            if element.kind() == "TOKEN_COMMENT":
                at = element.text_range()[0]
                if not any(start <= at < end for start, end in kept):
                    return False
        return True

    def extras(self, shared: int) -> Optional[str]:
        """The host's own modules (from the SHARED-th on), with the comments among them."""
        if len(self.elements) <= shared and not self._comments_after(shared):
            return None
        list_start, list_end = self.list_node.text_range()
        start = self.elements[shared - 1].text_range()[1] if shared else list_start + 1
        return self.editor.planned_text(start, list_end - 1).strip()

    def _comments_after(self, shared: int) -> bool:
        after = self.elements[shared - 1].text_range()[1] if shared else self.list_node.text_range()[0]
        return any(t.kind() == "TOKEN_COMMENT" and t.text_range()[0] >= after
                   for t in self.list_node.children_with_tokens())


def factor_hosts(analysis, editor, wirings, hm_module: str, extension: str) -> list:
    """Write a mkHost for the largest group of hosts that can share one; returns the
    wirings it did not take."""
    hosts = list(analysis.hosts.values())
    candidates = [c for wiring in wirings if (c := _candidate(editor, analysis.hosts[wiring.host], wiring, hosts))]
    if len(candidates) < 2:
        return wirings
    anchor = editor.let_anchor()
    taken = editor.scope_names()
    helper = next((name for name in _NAMES if name not in taken
                   and all(scopes.binder(c.value, name) is None for c in candidates)), None)
    if helper is None:
        return wirings
    groups: dict[tuple, list[_Host]] = {}
    for candidate in candidates:
        texts = [candidate.function_text, *candidate.binding_texts, hm_module]
        if _reads_the_same(texts, candidate.value, anchor):
            groups.setdefault(candidate.key(), []).append(candidate)
    group = max(groups.values(), key=len, default=[])
    while len(group) >= 2:
        shared = _shared_prefix(group)
        staying = [c for c in group if c.own_comments(shared)
                   and _reads_the_same(c.element_texts[:shared], c.value, anchor)]
        if len(staying) == len(group):
            break
        group = staying
    if len(group) < 2:
        return wirings
    first = group[0]
    copied = [first.function_text, *first.binding_texts, *first.element_texts[:shared]]
    if any(name in _PARAMETERS for text in copied for name in _free_names(text)):
        return wirings  # the helper's own parameters would hide them
    extras = {id(c): c.extras(shared) for c in group}
    takes_modules = any(text is not None for text in extras.values())
    editor.add_to_let(_helper_text(helper, first, shared, takes_modules, hm_module, extension))
    for candidate in group:
        _write_call(editor, candidate, helper, extras[id(candidate)])
        candidate.wiring.form = FORM_MK_HOST
    done = {id(c.wiring) for c in group}
    return [wiring for wiring in wirings if id(wiring) not in done]


def _candidate(editor, host, wiring, hosts) -> Optional[_Host]:
    value = editor.root_value("nixosConfigurations", host.name, host.where)
    if value is None or wiring.module_imported:
        return None
    call = query.unparen(value)
    if call.kind() != "NODE_APPLY":
        return None
    function, arguments = query.apply_spine(call)
    written = written_call(host, editor.nix.path)
    if len(arguments) != 1 or written is None or not query.same_node(query.unparen(arguments[0]), written):
        return None
    if shared_call(host, hosts) or scopes.is_rec(written):
        return None
    modules = [child for child in written.children() if _is_modules(child)]
    list_node = query.unparen(modules[0].last_child()) if len(modules) == 1 else None
    if list_node is None or list_node.kind() != "NODE_LIST":
        return None
    for child in written.children():
        if child.kind() == "NODE_ATTRPATH_VALUE" and len(query.attrpath_names(child.first_child())) != 1:
            return None  # `a.b = ...;` with `a.c` elsewhere: kept as the user wrote it
    return _Host(editor, host, wiring, value, function, written, list_node)


def _is_modules(node) -> bool:
    return node.kind() == "NODE_ATTRPATH_VALUE" and query.attrpath_names(node.first_child()) == ("modules",)


def _shared_prefix(group: list[_Host]) -> int:
    shared = 0
    while all(shared < len(c.elements) for c in group) and \
            len({c.element_key(shared) for c in group}) == 1:
        shared += 1
    return shared


def _reads_the_same(texts, here, anchor) -> bool:
    return all(scopes.means_the_same(name, here, anchor) for text in texts for name in _free_names(text))


def _free_names(text: str) -> list[str]:
    """The names TEXT reads, an expression or a binding (`specialArgs = { inherit inputs; };`)."""
    root = _parsed(text)
    return scopes.free_variables(root) if root is not None else [text]  # unreadable: matches no binding


def _tokens(text: str) -> tuple:
    """TEXT's tokens without whitespace: equal for the same expression however laid out."""
    root = _parsed(text)
    if root is None:
        return (text,)
    return tuple(t.text() for t in root.descendants_with_tokens()
                 if t.is_token() and t.kind() != "TOKEN_WHITESPACE")


def _parsed(text: str):
    for wrapped in (text, "{" + text + "}"):  # an expression, or a binding
        try:
            return pynix_parser.parse(wrapped)
        except ValueError:
            continue
    return None


def _helper_text(helper: str, first: _Host, shared: int, takes_modules: bool, hm_module: str, extension: str) -> str:
    pattern = "{ users, modules ? [ ] }:" if takes_modules else "{ users }:"
    lines = ["# Home Manager runs as a NixOS module (migrated by hm-migrate): mkHost builds a host",
             "# from what the hosts share, its own modules and its users' Home Manager configuration."
             .replace("mkHost", helper),
             f"{helper} =", "  name:", f"  {pattern}", f"  {emit.reindent(first.function_text, '  ')} {{"]
    for node, text in zip(first.bindings, first.binding_texts):
        lines.append("    " + emit.reindent(text, "    "))
    lines.append("    modules = [")
    for index in range(shared):
        lines.append("      " + emit.reindent(first.pattern(index), "      "))
    lines += ["      " + hm_module, "      {", "        home-manager = {"]
    lines += first.wiring.lines("          ", extension, users=False)
    lines += ["          inherit users;", "        };", "      }"]
    lines.append("    ] ++ modules;" if takes_modules else "    ];")
    lines.append("  };")
    return "\n".join(lines)


def _write_call(editor, candidate: _Host, helper: str, extras: Optional[str]) -> None:
    start, end = candidate.value.text_range()
    binding = candidate.value.parent()
    indent = indent_of(editor.nix.data, (binding or candidate.value).text_range()[0])
    inner = indent + "  "
    lines = []
    if extras is not None:
        lines += [f"{inner}modules = [", f"{inner}  " + emit.reindent(extras, inner + "  "), f"{inner}];"]
    lines += candidate.wiring.user_lines(inner)
    editor.drop_edits_in(start, end)
    editor.changes.replace_range(start, end, f"{helper} {emit.string_literal(candidate.host.name)} {{\n"
                                 + "\n".join(lines) + f"\n{indent}}}")
