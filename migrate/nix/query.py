"""Read-only questions about a parsed Nix file, answered from its concrete tree.

Every function takes either a ``NixFile`` (meaning its top-level expression)
or a ``SyntaxNode`` and returns nodes of that same tree, so callers can turn
answers into byte ranges for ``edit.ChangeSet``.

Speed matters here: the analysis indexes every file of a repository, and each
call into the native tree costs about as much as a few hundred bytes of
parsing.  So the hot paths avoid walking tokens from Python: names are read
with a regex from a node's text where the source is simple, and whole-tree
searches use one native ``find_by_kind`` call, skipped when a regex over the
source text proves the kind cannot occur.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Iterator, NamedTuple, Optional, Union

from pynix_parser import SyntaxNode

from migrate.nix.parse import NixFile

NodeOrFile = Union[NixFile, SyntaxNode]

# Builds a NamedTuple without the Python-level ``__new__`` (all fields given).
_new_tuple = tuple.__new__

# A dotted attribute path made only of plain identifiers: the common case,
# which can be split without looking at the path's child nodes.
_PLAIN_ATTRPATH = re.compile(r"[A-Za-z_][A-Za-z0-9_'-]*(?:\.[A-Za-z_][A-Za-z0-9_'-]*)*\Z")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_'-]*")


def _expression(target: NodeOrFile) -> Optional[SyntaxNode]:
    return target.expression if isinstance(target, NixFile) else target


def same_node(a: Optional[SyntaxNode], b: Optional[SyntaxNode]) -> bool:
    """Whether two wrappers denote the same tree node (wrappers are not ``==``)."""
    if a is None or b is None:
        return a is b
    return a.kind() == b.kind() and a.text_range() == b.text_range()


def unparen(node: Optional[SyntaxNode]) -> Optional[SyntaxNode]:
    while node is not None and node.kind() == "NODE_PAREN":
        node = node.first_child()
    return node


# --------------------------------------------------------------------------
# Lambda formals


class Formal(NamedTuple):
    name: str
    node: SyntaxNode  # the NODE_PAT_ENTRY
    default: Optional[SyntaxNode]  # the expression after `?`, if any


class Formals:
    """The argument side of a lambda.

    ``{ a, b ? x, ... }@args:`` has ``entries`` a and b, ``has_ellipsis`` and
    ``at_name == "args"``; a plain ``x:`` has no entries and ``ident == "x"``.
    For the usual pattern without defaults or comments the names come from
    the source text, and ``entries`` (with their nodes) are built on first use.
    """

    __slots__ = ("_lambda_node", "_pattern", "_file", "names", "has_ellipsis", "at_name", "ident", "_entries")

    def __init__(self, lambda_node, pattern, names, has_ellipsis, at_name, ident, entries=None, file=None):
        # With ``file`` and no nodes, the nodes are those of the file's top
        # lambda, looked up on first use.
        self._lambda_node = lambda_node
        self._pattern = pattern
        self._file = file
        self.names: tuple[str, ...] = names
        self.has_ellipsis: bool = has_ellipsis
        self.at_name: Optional[str] = at_name
        self.ident: Optional[str] = ident
        self._entries: Optional[tuple[Formal, ...]] = entries

    @property
    def lambda_node(self) -> SyntaxNode:
        if self._lambda_node is None:
            self._lambda_node = unparen(self._file.expression)
        return self._lambda_node

    @property
    def pattern(self) -> SyntaxNode:
        if self._pattern is None:
            self._pattern = self.lambda_node.first_child()
        return self._pattern

    @property
    def entries(self) -> tuple[Formal, ...]:
        if self._entries is None:
            self._entries = _pattern_entries(self.pattern)
        return self._entries

    @property
    def is_pattern(self) -> bool:
        return self.ident is None

    def get(self, name: str) -> Optional[Formal]:
        for entry in self.entries:
            if entry.name == name:
                return entry
        return None

    def __repr__(self) -> str:
        shown = list(self.names) + (["..."] if self.has_ellipsis else [])
        return f"Formals({self.ident or shown}, at={self.at_name})"


_WS = rb"[ \t\r\n]*"
_ID = rb"[A-Za-z_][A-Za-z0-9_'-]*"
# `{ a, b, ... }` with an optional `@name` on either side; no defaults, no comments.
_SIMPLE_PATTERN = re.compile(
    rb"(?:(?P<before>" + _ID + rb")" + _WS + rb"@" + _WS + rb")?\{" + _WS
    + rb"(?P<names>(?:" + _ID + _WS + rb"," + _WS + rb")*(?:" + _ID + rb"|\.\.\.)?)" + _WS + rb",?" + _WS
    + rb"\}(?:" + _WS + rb"@" + _WS + rb"(?P<after>" + _ID + rb"))?\Z")
_NAME_BYTES = re.compile(_ID)
_NAME = re.compile(_ID.decode())
_TRIVIA = rb"(?:[ \t\r\n]++|#[^\n]*+|/\*.*?\*/)*+"
# A file that starts (after trivia) with such a pattern and `:` is that lambda.
_LEADING_SIMPLE_PATTERN = re.compile(
    rb"\A" + _TRIVIA + _SIMPLE_PATTERN.pattern[:-2] + _WS + rb":", re.S)


def _leading_formals(file: NixFile) -> Optional[Formals]:
    """The formals of a file that opens with a plain pattern, read from its bytes alone."""
    match = _LEADING_SIMPLE_PATTERN.match(file.data)
    if match is None:
        return None
    words = match["names"]
    at = match["before"] or match["after"]
    return Formals(None, None, tuple(_NAME.findall(words.decode())), words.rstrip().endswith(b"..."),
                   at.decode() if at else None, None, None, file)


def formals(target: NodeOrFile, file: Optional[NixFile] = None) -> Optional[Formals]:
    """Formals of the file's top lambda (or of the given lambda node); None if not a lambda.

    Pass ``file`` with a node to let simple patterns be read from the source text.
    """
    if isinstance(target, NixFile):
        file = target
    node = unparen(_expression(target))
    if node is None or node.kind() != "NODE_LAMBDA":
        return None
    return _lambda_formals(node, file)


def _lambda_formals(node: SyntaxNode, file: Optional[NixFile]) -> Formals:
    param = node.first_child()
    if param.kind() == "NODE_IDENT_PARAM":
        return Formals(node, param, (), False, None, param.text().strip())
    if file is not None:
        start, end = param.text_range()
        match = _SIMPLE_PATTERN.match(file.data[start:end])
        if match:
            words = match.group("names")
            at = match.group("before") or match.group("after")
            return Formals(node, param, tuple(name.decode() for name in _NAME_BYTES.findall(words)),
                           words.rstrip().endswith(b"..."), at.decode() if at else None, None)
    entries = _pattern_entries(param)
    at_name = None
    has_ellipsis = False
    for element in param.children_with_tokens():
        kind = element.kind()
        if kind == "TOKEN_ELLIPSIS":
            has_ellipsis = True
        elif kind == "NODE_PAT_BIND":
            at_name = element.as_node().find_first_child_by_kind("NODE_IDENT").text()
    return Formals(node, param, tuple(e.name for e in entries), has_ellipsis, at_name, None, entries)


def _pattern_entries(pattern: SyntaxNode) -> tuple[Formal, ...]:
    entries = []
    for entry in pattern.find_children_by_kind("NODE_PAT_ENTRY"):
        name_node = entry.first_child()
        default = entry.last_child()
        entries.append(Formal(name_node.text(), entry, None if same_node(default, name_node) else default))
    return tuple(entries)


# --------------------------------------------------------------------------
# The module body


_WRAPPER_KINDS = frozenset({"NODE_LAMBDA", "NODE_LET_IN", "NODE_PAREN", "NODE_WITH", "NODE_ASSERT"})


def body(target: NodeOrFile) -> Optional[SyntaxNode]:
    """The expression under the outer lambdas, `let ... in`, parens, `with x;` and `assert c;`.

    For a module this is normally its attribute set; callers check the kind,
    since a file may also end in e.g. ``lib.mkIf c { ... }`` or a list.
    """
    node = _expression(target)
    while node is not None and node.kind() in _WRAPPER_KINDS:
        # The wrapped expression is the last child for all these node kinds.
        node = node.last_child()
    return node


def module_attrs(target: NodeOrFile) -> Optional[SyntaxNode]:
    """The body if it is an attribute set (``rec`` included), else None."""
    node = body(target)
    return node if node is not None and node.kind() == "NODE_ATTR_SET" else None


# --------------------------------------------------------------------------
# Bindings


class Binding(NamedTuple):
    """One ``path = value;`` entry of an attribute set or let block.

    ``path`` holds plain names for identifiers and constant strings, and the
    source text for dynamic parts (``"${x}"``, ``${x}``).  The attrpath and
    value nodes are looked up when asked for, which keeps indexing cheap.
    """

    path: tuple[str, ...]
    node: SyntaxNode  # the NODE_ATTRPATH_VALUE

    @property
    def attrpath(self) -> SyntaxNode:
        return self.node.first_child()

    @property
    def value(self) -> SyntaxNode:
        return self.node.last_child()

    @property
    def range(self) -> tuple[int, int]:
        return self.node.text_range()

    def __repr__(self) -> str:
        return f"Binding({'.'.join(self.path)} @ {self.node.text_range()})"


def attr_name(part: SyntaxNode) -> str:
    """The name one attrpath component stands for, or its source text if dynamic."""
    kind = part.kind()
    if kind == "NODE_IDENT":
        return part.text()
    if kind == "NODE_STRING":
        constant = string_constant(part)
        if constant is not None:
            return constant
    return part.text()


def attrpath_names(attrpath: SyntaxNode) -> tuple[str, ...]:
    text = attrpath.text()
    if _PLAIN_ATTRPATH.match(text):
        return tuple(text.split("."))
    return tuple(attr_name(part) for part in attrpath.children())


# `a."b".c =` at the start of a binding, with plain names and constant strings
# free of escapes: its path can be read from the bytes.
_HEAD_PART = rb'(?:' + _ID + rb'|"[^"\\$\n]*")'
_PLAIN_BINDING_HEAD = re.compile(rb"(" + _HEAD_PART + rb"(?:\." + _HEAD_PART + rb")*)" + _WS + rb"=")
_HEAD_PARTS = re.compile(rb'[^".]+|"[^"]*"')


def _head_names(head: bytes) -> tuple[str, ...]:
    if b'"' not in head:
        return tuple(head.decode().split("."))
    return tuple(part.strip(b'"').decode() for part in _HEAD_PARTS.findall(head))


def bindings(container: SyntaxNode, file: Optional[NixFile] = None) -> list[Binding]:
    """The ``path = value;`` entries of an attribute set or ``let`` block, in order.

    Passing the ``file`` the node belongs to lets plain paths be read from its
    bytes instead of from child nodes, which is several times faster.
    """
    if file is None:
        nodes = container.find_children_by_kind("NODE_ATTRPATH_VALUE")
        return [_new_tuple(Binding, (attrpath_names(node.first_child()), node)) for node in nodes]
    # Rules and the analysis read the same sets many times (once per option prefix
    # and root); the file keeps the answer.
    key = ("bindings", container.kind(), container.text_range())
    found = file.derived.get(key)
    if found is None:
        found = file.derived[key] = _bindings_from_bytes(container.find_children_by_kind("NODE_ATTRPATH_VALUE"), file.data)
    return found


def _bindings_from_bytes(nodes: list[SyntaxNode], data: bytes) -> list[Binding]:
    result = []
    append = result.append
    head_at = _PLAIN_BINDING_HEAD.match
    for node in nodes:
        match = head_at(data, node.text_range()[0])
        if match is None:
            names = attrpath_names(node.first_child())
        else:
            head = match[1]
            names = tuple(head.decode().split(".")) if b'"' not in head else _head_names(head)
        append(_new_tuple(Binding, (names, node)))
    return result


def find_binding(attrset: SyntaxNode, path: tuple[str, ...], file: Optional[NixFile] = None) -> Optional[SyntaxNode]:
    """The value node for ``path``, however the path is split across nested sets.

    Finds ``c`` in ``a.b.c = x;``, ``a = { b.c = x; };`` and
    ``a = { b = { c = x; }; };`` alike.  None when nothing binds exactly
    that path (for instance when only ``a.b.c.d`` is set).
    """
    for found_path, binding in lookup_all(attrset, path, file):
        if found_path == tuple(path):
            return binding.value
    return None


def lookup_all(attrset: SyntaxNode, prefix: tuple[str, ...] = (),
               file: Optional[NixFile] = None) -> list[tuple[tuple[str, ...], Binding]]:
    """Every binding at or under ``prefix``, with its full path from ``attrset``.

    Nested attribute-set values are opened only when needed to reach the
    prefix or when they are themselves under it, so a binding appears once at
    its most specific level: ``a = { b = 1; }`` with prefix ``("a",)`` yields
    ``(("a",), a-binding)`` and ``(("a", "b"), b-binding)``.  ``file``, when
    given, is the file the set belongs to (see ``bindings``).
    """
    return lookup_any(attrset, (tuple(prefix),), file)


def lookup_any(attrset: SyntaxNode, prefixes, file: Optional[NixFile] = None) -> list[tuple[tuple[str, ...], Binding]]:
    """``lookup_all`` for several prefixes in one pass; a binding under more than one is listed once."""
    found: list[tuple[tuple[str, ...], Binding]] = []
    _collect(attrset, (), tuple(tuple(p) for p in prefixes), found, file)
    return found


def _collect(attrset, base, prefixes, found, file) -> None:
    for binding in bindings(attrset, file):
        full = base + binding.path
        size = len(full)
        relevant = [p for p in prefixes if full[:len(p)] == p[:size]]
        if not relevant:
            continue
        if any(size >= len(p) for p in relevant):
            found.append((full, binding))
        value = unparen(binding.value)
        if value is not None and value.kind() == "NODE_ATTR_SET" and not _is_rec(value):
            _collect(value, full, relevant, found, file)


def _is_rec(attrset: SyntaxNode) -> bool:
    first = attrset.first_token()
    return first is not None and first.kind() == "TOKEN_REC"


def flatten(attrset: SyntaxNode, file: Optional[NixFile] = None) -> list[tuple[tuple[str, ...], Binding]]:
    """All bindings of ``attrset`` and of nested plain sets, with full paths."""
    return lookup_all(attrset, (), file)


# --------------------------------------------------------------------------
# let, inherit, lists


def let_bindings(target: NodeOrFile) -> list[Binding]:
    """Bindings of a ``let`` node, or of the outermost ``let`` wrapping a file's body."""
    node = _expression(target)
    while node is not None and node.kind() != "NODE_LET_IN":
        if node.kind() not in _WRAPPER_KINDS:
            return []
        node = node.last_child()
    return bindings(node) if node is not None else []


@dataclass(frozen=True)
class Inherit:
    node: SyntaxNode  # NODE_INHERIT
    names: tuple[str, ...]
    name_nodes: tuple[SyntaxNode, ...]
    source: Optional[SyntaxNode]  # the expression inside `(...)` of `inherit (x) a;`


def inherits(container: SyntaxNode) -> list[Inherit]:
    """The ``inherit`` entries of an attribute set or ``let`` block."""
    result = []
    for node in container.find_children_by_kind("NODE_INHERIT"):
        source = None
        name_nodes = []
        for child in node.children():
            if child.kind() == "NODE_INHERIT_FROM":
                source = child.first_child()
            else:
                name_nodes.append(child)
        result.append(Inherit(node, tuple(attr_name(n) for n in name_nodes), tuple(name_nodes), source))
    return result


def list_items(list_node: SyntaxNode) -> list[SyntaxNode]:
    return list_node.children()


# --------------------------------------------------------------------------
# Strings


def string_binding(attrset: Optional[SyntaxNode], path: tuple[str, ...],
                   file: Optional[NixFile] = None) -> Optional[str]:
    """The string ATTRSET binds at PATH when it is written as a plain literal (no
    interpolation), else None: `system.stateVersion = "24.05";`, `home.username = "ana";`.
    FILE, the file ATTRSET belongs to, lets a large set's bindings be read once (see ``bindings``)."""
    node = find_binding(attrset, path, file) if attrset is not None else None
    return string_constant(node) if node is not None else None


def string_constant(node: SyntaxNode) -> Optional[str]:
    """The value of a string literal without interpolation, else None."""
    if node.kind() != "NODE_STRING":
        return None
    text = node.text()
    if text.startswith('"'):
        inner = text[1:-1]
        if "${" in inner.replace("\\$", ""):
            return None
        return _unescape_double_quoted(inner)
    inner = text[2:-2]
    if re.search(r"(?<!'')\$\{", inner):
        return None
    return _unescape_indented(inner)


_DQ_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


def _unescape_double_quoted(inner: str) -> str:
    return re.sub(r"\\(.)", lambda m: _DQ_ESCAPES.get(m.group(1), m.group(1)), inner, flags=re.S)


def _unescape_indented(inner: str) -> str:
    lines = inner.split("\n")
    if lines and lines[0].strip(" ") == "":
        lines = lines[1:]
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip(" ")]
    cut = min(indents, default=0)
    text = "\n".join(line[cut:] if line.strip(" ") else line[cut:] for line in lines)
    text = re.sub(r"\n[ ]*\Z", "\n", text)

    def escape(match: re.Match) -> str:
        token = match.group(0)
        if token == "'''":
            return "''"
        if token == "''$":
            return "$"
        return _DQ_ESCAPES.get(token[3], token[3])

    return re.sub(r"'''|''\$|''\\.", escape, text, flags=re.S)


# --------------------------------------------------------------------------
# imports


@dataclass(frozen=True)
class Condition:
    node: SyntaxNode
    holds: bool  # False for the `else` branch of `if c then [...] else [...]`


class ImportElement(NamedTuple):
    """One thing an ``imports`` list contributes.

    ``conditions`` lists the guards it sits under, outermost first
    (``lib.optional c x``, ``lib.optionals c [ ... ]``, ``if c then ...``).
    ``is_list`` marks an expression that yields a whole list this query
    cannot split (``map f xs``, ``builtins.attrValues ...``).
    """

    node: SyntaxNode
    conditions: tuple[Condition, ...] = ()
    is_list: bool = False

    @property
    def condition(self) -> Optional[SyntaxNode]:
        """The innermost guard's expression, or None when unconditional."""
        return self.conditions[-1].node if self.conditions else None


_OPTIONAL_FUNCTIONS = {"lib.optional": False, "optional": False, "lib.lists.optional": False,
                       "lib.optionals": True, "optionals": True, "lib.lists.optionals": True}


def imports_elements(attrset: SyntaxNode, file: Optional[NixFile] = None) -> list[ImportElement]:
    """The elements of ``imports = ...;`` in a module's attribute set."""
    value = find_binding(attrset, ("imports",), file)
    return list(list_elements(value)) if value is not None else []


def list_elements(expr: SyntaxNode, conditions: tuple[Condition, ...] = ()) -> Iterator[ImportElement]:
    """Elements of a list-valued expression built from literals, ``++`` and optional helpers."""
    expr = unparen(expr)
    kind = expr.kind()
    if kind == "NODE_LIST":
        for item in expr.children():
            yield ImportElement(unparen(item), conditions)
        return
    if kind == "NODE_BIN_OP" and _operator(expr) == "TOKEN_CONCAT":
        left, right = expr.children()
        yield from list_elements(left, conditions)
        yield from list_elements(right, conditions)
        return
    if kind == "NODE_IF_ELSE":
        cond, then, otherwise = expr.children()
        yield from list_elements(then, conditions + (Condition(cond, True),))
        yield from list_elements(otherwise, conditions + (Condition(cond, False),))
        return
    if kind == "NODE_APPLY":
        function, args = _apply_spine(expr)
        name = function.text() if function.kind() in ("NODE_IDENT", "NODE_SELECT") else None
        if name in _OPTIONAL_FUNCTIONS and len(args) == 2:
            guarded = conditions + (Condition(args[0], True),)
            if _OPTIONAL_FUNCTIONS[name]:
                yield from list_elements(args[1], guarded)
            else:
                yield ImportElement(unparen(args[1]), guarded)
            return
    yield ImportElement(expr, conditions, is_list=True)


def _list_elements_into(out: list, expr: SyntaxNode, conditions: tuple, data: bytes) -> None:
    """``list_elements`` for ``index_file``: same answers, fewer native calls.

    The operator of a binary expression is read from the bytes between its
    operands, which hold only it and trivia.
    """
    kind = expr.kind()
    while kind == "NODE_PAREN":
        expr = expr.first_child()
        kind = expr.kind()
    if kind == "NODE_LIST":
        for item in expr.children():
            if item.kind() == "NODE_PAREN":
                item = unparen(item)
            out.append(_new_tuple(ImportElement, (item, conditions, False)))
        return
    if kind == "NODE_BIN_OP":
        children = expr.children()
        if len(children) == 2:
            left, right = children
            between = data[left.text_range()[1]:right.text_range()[0]]
            if b"#" in between or b"/*" in between:
                concat = _operator(expr) == "TOKEN_CONCAT"
            else:
                concat = between.strip(b" \t\r\n") == b"++"
            if concat:
                _list_elements_into(out, left, conditions, data)
                _list_elements_into(out, right, conditions, data)
                return
    elif kind == "NODE_IF_ELSE":
        cond, then, otherwise = expr.children()
        _list_elements_into(out, then, conditions + (Condition(cond, True),), data)
        _list_elements_into(out, otherwise, conditions + (Condition(cond, False),), data)
        return
    elif kind == "NODE_APPLY":
        function, args = _apply_spine(expr)
        name = function.text() if len(args) == 2 and function.kind() in ("NODE_IDENT", "NODE_SELECT") else None
        if name in _OPTIONAL_FUNCTIONS:
            guarded = conditions + (Condition(args[0], True),)
            if _OPTIONAL_FUNCTIONS[name]:
                _list_elements_into(out, args[1], guarded, data)
            else:
                out.append(_new_tuple(ImportElement, (unparen(args[1]), guarded, False)))
            return
    out.append(_new_tuple(ImportElement, (expr, conditions, True)))


def _operator(bin_op: SyntaxNode) -> Optional[str]:
    for element in bin_op.children_with_tokens():
        if element.is_token() and element.kind() not in ("TOKEN_WHITESPACE", "TOKEN_COMMENT"):
            return element.kind()
    return None


def _apply_spine(apply: SyntaxNode) -> tuple[SyntaxNode, list[SyntaxNode]]:
    """``f a b`` is ``APPLY(APPLY(f, a), b)``: return f and [a, b]."""
    args = []
    node = apply
    while node.kind() == "NODE_APPLY":
        function, argument = node.children()
        args.append(argument)
        node = function
    args.reverse()
    return node, args


def apply_spine(node: SyntaxNode) -> tuple[SyntaxNode, list[SyntaxNode]]:
    node = unparen(node)
    if node.kind() != "NODE_APPLY":
        return node, []
    return _apply_spine(node)


# --------------------------------------------------------------------------
# Path literals


class PathLiteral(NamedTuple):
    """A path written in the source.

    ``kind`` is one of ``relative`` (``./x``, ``../x``, ``x/y``), ``absolute``,
    ``home`` (``~/x``), ``search`` (``<nixpkgs>``) or ``concat`` (a path
    plus strings: ``./. + "/a/${v}"``, whose range covers the whole sum).
    ``interpolated`` when ``${...}`` occurs in it; ``in_string`` when it sits
    in a string interpolation such as ``"${./x}"``.
    """

    kind: str
    start: int
    end: int
    text: str
    node: SyntaxNode  # the path node, or the `+` expression for `concat`
    base: SyntaxNode  # the path node itself
    interpolated: bool
    in_string: bool

    @property
    def range(self) -> tuple[int, int]:
        return (self.start, self.end)


# Each regex must match wherever its node kind can occur (false alarms only
# cost a tree search).  They start with a literal character and check the one
# before with a lookbehind, because a leading character class makes Python's
# regex engine crawl.
_PATH_KINDS = (
    # rnix relative paths contain a slash right after a path character.
    ("NODE_PATH_REL", "relative", re.compile(r"/(?<=[A-Za-z0-9._+-]/)")),
    # An absolute path starts with "/" not preceded by a path character
    # (that would be a relative path), `/` (the `//` operator), `:` (a URI),
    # or `}`, `"`, `'`: these rule out the very common `"${pkgs.x}/bin"` and
    # `"/dev/sda"`, at the price of missing `{ }/x`, which cannot evaluate.
    ("NODE_PATH_ABS", "absolute", re.compile(r"/(?<![A-Za-z0-9._+~/}\"':-]/)[A-Za-z0-9._+${-]")),
    ("NODE_PATH_HOME", "home", re.compile(r"~/")),
    ("NODE_PATH_SEARCH", "search", re.compile(r"<[A-Za-z0-9._+-]")),
)


def path_literals(file: NixFile) -> list[PathLiteral]:
    """Every path literal in the file, in source order."""
    text = file.text
    data = file.data
    found: list[PathLiteral] = []
    kinds_found = 0
    context = None
    for node_kind, kind, possible in _PATH_KINDS:
        if possible.search(text) is None:
            continue
        nodes = file.root.find_by_kind(node_kind)
        if not nodes:
            continue
        kinds_found += 1
        if context is None:
            context = (_PATH_IN_INTERPOLATION.search(data) is not None, _LONE_PLUS.search(data) is not None)
        if context == (False, False) and len(text) == len(data):
            # No path can be summed or sit in "${...}": no context to look at;
            # and in ASCII text character offsets are byte offsets.
            for node in nodes:
                start, end = node.text_range()
                raw = text[start:end]
                found.append(_new_tuple(PathLiteral, (kind, start, end, raw, node, node, "${" in raw, False)))
        else:
            found.extend([_path_literal(node, kind, data, *context) for node in nodes])
    if kinds_found > 1:
        # Each search gives document order already; merge the kinds.
        found.sort(key=_literal_start)
    return found


_literal_start = itemgetter(1)


# What may follow a path that is the left operand of `+` (comments included).
# Possessive quantifiers: a nested `(?:[ ]+)*` backtracks exponentially over
# a long run of spaces that is not followed by `+`.
_PLUS_AHEAD = re.compile(rb"(?:[ \t\r\n]++|#[^\n]*+|/\*.*?\*/)*+\+(?!\+)", re.S)


# Found wherever a path sits in an interpolation, through parentheses and
# trivia (the start of each path kind follows), and wherever one is summed.
_PATH_IN_INTERPOLATION = re.compile(
    rb"\$\{(?:[ \t\r\n(]++|#[^\n]*+|/\*.*?\*/)*+(?:[A-Za-z0-9._+-]*/|~/|<)", re.S)
_LONE_PLUS = re.compile(rb"\+(?<!\+\+)(?!\+)")

_MAY_OPEN_INTERPOLATION = frozenset({b"{", b"(", b"/", b""})  # `/` ends a comment
_MAY_BE_PLUS = frozenset({b"+", b"#", b"/", b""})  # `#` and `/` start comments
_NIX_SPACE = b" \t\r\n"


def _path_literal(node: SyntaxNode, kind: str, data: bytes,
                  may_be_in_string: bool = True, may_be_summed: bool = True) -> PathLiteral:
    start, end = node.text_range()
    raw = data[start:end]
    # Most paths are neither summed nor inside "${...}"; the bytes around
    # them tell, which spares the tree walks below.  What precedes the path
    # (trivia skipped) is `${`, `(` or a comment for a path in an
    # interpolation; a line comment is recognised by a `#` on its line.
    before = data[start - 1:start] if start else b""
    if not may_be_in_string:
        before = b"="
    elif before in _NIX_SPACE:  # also b"" at the start of the file
        window = data[max(0, start - 64):start]
        stripped = window.rstrip(_NIX_SPACE)
        before = stripped[-1:]  # b"" (take the slow path) after 64 bytes of space
        if before and b"\n" in window[len(stripped):]:
            line_end = start - len(window) + len(stripped)
            if b"#" in data[data.rfind(b"\n", 0, line_end) + 1:line_end]:
                before = b""
    if before not in _MAY_OPEN_INTERPOLATION:
        if not may_be_summed:
            return _new_tuple(PathLiteral, (kind, start, end, raw.decode("utf-8"), node, node, b"${" in raw, False))
        after = data[end:end + 1]
        if after in _NIX_SPACE:
            after = data[end:end + 64].lstrip(_NIX_SPACE)[:1]
        if after not in _MAY_BE_PLUS or _PLUS_AHEAD.match(data, end) is None:
            return _new_tuple(PathLiteral, (kind, start, end, raw.decode("utf-8"), node, node, b"${" in raw, False))
    interpolated = b"${" in raw
    parent = node.parent()
    parent_kind = parent.kind() if parent is not None else None
    if parent_kind == "NODE_BIN_OP" and kind in ("relative", "absolute", "home"):
        whole = _concat_root(node, parent)
        if whole is not None:
            w_start, w_end = whole.text_range()
            whole_raw = data[w_start:w_end]
            return PathLiteral("concat", w_start, w_end, whole_raw.decode("utf-8"), whole, node,
                               b"${" in whole_raw, _in_string(whole))
    return PathLiteral(kind, start, end, raw.decode("utf-8"), node, node, interpolated, _in_string(node))


def _concat_root(path: SyntaxNode, bin_op: SyntaxNode) -> Optional[SyntaxNode]:
    """The outermost ``path + "str" + ...`` chain with ``path`` leftmost, if any."""
    whole = None
    left = path
    node = bin_op
    while node is not None and node.kind() == "NODE_BIN_OP":
        children = node.children()
        if len(children) != 2 or not same_node(children[0], left) or _operator(node) != "TOKEN_ADD":
            break
        if children[1].kind() != "NODE_STRING":
            break
        whole = node
        left = node
        node = node.parent()
    return whole


def _in_string(node: SyntaxNode) -> bool:
    parent = node.parent()
    while parent is not None and parent.kind() == "NODE_PAREN":
        parent = parent.parent()
    return parent is not None and parent.kind() == "NODE_INTERPOL" and parent.parent().kind() == "NODE_STRING"


# --------------------------------------------------------------------------
# Option namespaces


_SKIPPED_TOP_LEVEL = frozenset({"imports", "options", "_file", "key", "disabledModules", "meta"})
_TRANSPARENT_FUNCTIONS = frozenset({
    "mkIf", "mkDefault", "mkForce", "mkOverride", "mkBefore", "mkAfter", "mkOrder", "mkMerge",
    "mkOptionDefault", "mkVMOverride", "mkImageMediaOverride",
})


def option_namespaces(target: NodeOrFile) -> list[tuple[str, ...]]:
    """The top-level option paths a module sets: first two components, first-seen order."""
    seen: dict[tuple[str, ...], None] = {}
    root = body(target)
    file = target if isinstance(target, NixFile) else None  # names read from its bytes (see bindings)
    for attrset in _attrsets_of(root):
        _namespaces_in(attrset, (), seen, top_level=True, file=file)
    return list(seen)


def _namespaces_in(attrset: SyntaxNode, base: tuple[str, ...], seen: dict, top_level: bool,
                   file: Optional[NixFile] = None) -> None:
    for binding in bindings(attrset, file):
        path = base + binding.path
        if top_level and not base:
            if path[0] in _SKIPPED_TOP_LEVEL:
                continue
            if path[0] == "config":
                if len(path) == 1:
                    for inner in _attrsets_of(binding.value):
                        _namespaces_in(inner, (), seen, top_level=False, file=file)
                    continue
                path = path[1:]
        if len(path) >= 2:
            seen.setdefault(path[:2], None)
            continue
        nested = _attrsets_of(binding.value)
        if not nested:
            seen.setdefault(path, None)
        for inner in nested:
            _namespaces_in(inner, path, seen, top_level=False, file=file)


def _attrsets_of(expr: Optional[SyntaxNode]) -> list[SyntaxNode]:
    """Attribute sets an option value is made of, seen through mkIf/mkMerge/let/with/parens."""
    expr = unparen(expr)
    if expr is None:
        return []
    kind = expr.kind()
    if kind == "NODE_ATTR_SET":
        return [expr]
    if kind in ("NODE_LET_IN", "NODE_WITH", "NODE_ASSERT"):
        return _attrsets_of(expr.last_child())
    if kind == "NODE_APPLY":
        function, args = _apply_spine(expr)
        name = function.text().rsplit(".", 1)[-1] if function.kind() in ("NODE_IDENT", "NODE_SELECT") else ""
        if name in _TRANSPARENT_FUNCTIONS and args:
            last = unparen(args[-1])
            if name == "mkMerge" and last.kind() == "NODE_LIST":
                return [s for item in last.children() for s in _attrsets_of(item)]
            return _attrsets_of(last)
    return []


# --------------------------------------------------------------------------
# The per-file index the analysis builds for every file


class FileIndex:
    """What the analysis reads from one file, each part computed on first access.

    ``formals`` (names read from the source when the pattern is plain), the
    module ``body``, its top-level ``bindings``, the ``imports`` elements and
    the ``paths`` written anywhere in the file.
    """

    __slots__ = ("file", "_formals", "_body", "_bindings", "_imports", "_paths")

    def __init__(self, file: NixFile):
        self.file = file
        self._formals = self._body = self._bindings = self._imports = self._paths = _UNSET

    @property
    def formals(self) -> Optional[Formals]:
        if self._formals is _UNSET:
            self._formals = _leading_formals(self.file) or formals(self.file)
        return self._formals

    @property
    def body(self) -> Optional[SyntaxNode]:
        if self._body is _UNSET:
            node = self.file.root.first_child()
            kind = node.kind()
            while kind in _WRAPPER_KINDS:
                node = node.last_child()
                kind = node.kind() if node is not None else None
            self._body = (node, kind)
        return self._body[0]

    @property
    def bindings(self) -> list[Binding]:
        if self._bindings is _UNSET:
            top = self.body
            kind = self._body[1]
            self._bindings = bindings(top, self.file) if kind == "NODE_ATTR_SET" else []
        return self._bindings

    @property
    def imports(self) -> list[ImportElement]:
        if self._imports is _UNSET:
            imports: list[ImportElement] = []
            if b"imports" in self.file.data:
                data = self.file.data
                for binding in self.bindings:
                    if binding.path == ("imports",):
                        _list_elements_into(imports, binding.node.last_child(), (), data)
            self._imports = imports
        return self._imports

    @property
    def paths(self) -> list[PathLiteral]:
        if self._paths is _UNSET:
            self._paths = path_literals(self.file)
        return self._paths

    def __repr__(self) -> str:
        return f"FileIndex({self.file.path})"


_UNSET: Any = object()


def index_file(file: NixFile) -> FileIndex:
    """Everything the import-graph analysis reads from one file; parts are computed when first read.

    Every part depends on the bytes only, so a file that shares its tree with an
    earlier one (the same bytes at a new path, see ``NixFile.at``) starts with the
    parts already computed for it."""
    index = FileIndex(file)
    shared = file.derived.get("file index")
    if shared is not None:
        for slot in ("_formals", "_body", "_bindings", "_imports", "_paths"):
            setattr(index, slot, getattr(shared, slot))
    file.derived["file index"] = index
    return index
