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
from typing import Iterator, Optional, Union

from pynix_parser import SyntaxNode

from migrate.nix.parse import NixFile

NodeOrFile = Union[NixFile, SyntaxNode]

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


@dataclass(frozen=True)
class Formal:
    name: str
    node: SyntaxNode  # the NODE_PAT_ENTRY
    default: Optional[SyntaxNode]  # the expression after `?`, if any


@dataclass(frozen=True)
class Formals:
    """The argument side of a lambda.

    ``{ a, b ? x, ... }@args:`` has ``entries`` a and b, ``has_ellipsis`` and
    ``at_name == "args"``; a plain ``x:`` has no entries and ``ident == "x"``.
    """

    lambda_node: SyntaxNode
    pattern: SyntaxNode  # NODE_PATTERN, or NODE_IDENT_PARAM for `x:`
    entries: tuple[Formal, ...]
    has_ellipsis: bool
    at_name: Optional[str]
    ident: Optional[str]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(entry.name for entry in self.entries)

    @property
    def is_pattern(self) -> bool:
        return self.pattern.kind() == "NODE_PATTERN"

    def get(self, name: str) -> Optional[Formal]:
        for entry in self.entries:
            if entry.name == name:
                return entry
        return None


def formals(target: NodeOrFile) -> Optional[Formals]:
    """Formals of the file's top lambda (or of the given lambda node); None if not a lambda."""
    node = unparen(_expression(target))
    if node is None or node.kind() != "NODE_LAMBDA":
        return None
    param = node.first_child()
    if param.kind() == "NODE_IDENT_PARAM":
        return Formals(node, param, (), False, None, param.text().strip())
    entries = []
    has_ellipsis = False
    at_name = None
    for element in param.children_with_tokens():
        kind = element.kind()
        if kind == "NODE_PAT_ENTRY":
            entry = element.as_node()
            name_node = entry.first_child()
            default = entry.last_child()
            entries.append(Formal(name_node.text(), entry, None if same_node(default, name_node) else default))
        elif kind == "TOKEN_ELLIPSIS":
            has_ellipsis = True
        elif kind == "NODE_PAT_BIND":
            at_name = element.as_node().find_first_child_by_kind("NODE_IDENT").text()
    return Formals(node, param, tuple(entries), has_ellipsis, at_name, None)


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


class Binding:
    """One ``path = value;`` entry of an attribute set or let block.

    ``path`` holds plain names for identifiers and constant strings, and the
    source text for dynamic parts (``"${x}"``, ``${x}``).  The attrpath and
    value nodes are looked up on first use to keep indexing cheap.
    """

    __slots__ = ("node", "path", "_attrpath", "_value")

    def __init__(self, node: SyntaxNode, path: tuple[str, ...], attrpath: Optional[SyntaxNode] = None):
        self.node = node
        self.path = path
        self._attrpath = attrpath
        self._value = None

    @property
    def attrpath(self) -> SyntaxNode:
        if self._attrpath is None:
            self._attrpath = self.node.first_child()
        return self._attrpath

    @property
    def value(self) -> SyntaxNode:
        if self._value is None:
            self._value = self.node.last_child()
        return self._value

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


def bindings(container: SyntaxNode) -> list[Binding]:
    """The ``path = value;`` entries of an attribute set or ``let`` block, in order."""
    result = []
    for node in container.find_children_by_kind("NODE_ATTRPATH_VALUE"):
        attrpath = node.first_child()
        result.append(Binding(node, attrpath_names(attrpath), attrpath))
    return result


def find_binding(attrset: SyntaxNode, path: tuple[str, ...]) -> Optional[SyntaxNode]:
    """The value node for ``path``, however the path is split across nested sets.

    Finds ``c`` in ``a.b.c = x;``, ``a = { b.c = x; };`` and
    ``a = { b = { c = x; }; };`` alike.  None when nothing binds exactly
    that path (for instance when only ``a.b.c.d`` is set).
    """
    for found_path, binding in lookup_all(attrset, path):
        if found_path == tuple(path):
            return binding.value
    return None


def lookup_all(attrset: SyntaxNode, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Binding]]:
    """Every binding at or under ``prefix``, with its full path from ``attrset``.

    Nested attribute-set values are opened only when needed to reach the
    prefix or when they are themselves under it, so a binding appears once at
    its most specific level: ``a = { b = 1; }`` with prefix ``("a",)`` yields
    ``(("a",), a-binding)`` and ``(("a", "b"), b-binding)``.
    """
    prefix = tuple(prefix)
    found: list[tuple[tuple[str, ...], Binding]] = []
    _collect(attrset, (), prefix, found)
    return found


def _collect(attrset, base, prefix, found) -> None:
    for binding in bindings(attrset):
        full = base + binding.path
        shared = min(len(full), len(prefix))
        if full[:shared] != prefix[:shared]:
            continue
        if len(full) >= len(prefix):
            found.append((full, binding))
        value = unparen(binding.value)
        if value is not None and value.kind() == "NODE_ATTR_SET" and not _is_rec(value):
            _collect(value, full, prefix, found)


def _is_rec(attrset: SyntaxNode) -> bool:
    first = attrset.first_token()
    return first is not None and first.kind() == "TOKEN_REC"


def flatten(attrset: SyntaxNode) -> list[tuple[tuple[str, ...], Binding]]:
    """All bindings of ``attrset`` and of nested plain sets, with full paths."""
    return lookup_all(attrset, ())


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


@dataclass(frozen=True)
class ImportElement:
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


def imports_elements(attrset: SyntaxNode) -> list[ImportElement]:
    """The elements of ``imports = ...;`` in a module's attribute set."""
    value = find_binding(attrset, ("imports",))
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


@dataclass(frozen=True)
class PathLiteral:
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


_PATH_KINDS = (
    # rnix path tokens: relative ones contain a slash between path characters.
    ("NODE_PATH_REL", "relative", re.compile(r"[A-Za-z0-9._+-]/")),
    # An absolute path starts with "/" not preceded by a path character
    # (that would be a relative path), `/` (the `//` operator), `:` (a URI),
    # or `}`, `"`, `'`: these rule out the very common `"${pkgs.x}/bin"` and
    # `"/dev/sda"`, at the price of missing `{ }/x`, which cannot evaluate.
    ("NODE_PATH_ABS", "absolute", re.compile(r"(?<![A-Za-z0-9._+~/}\"':-])/[A-Za-z0-9._+${-]")),
    ("NODE_PATH_HOME", "home", re.compile(r"~/")),
    ("NODE_PATH_SEARCH", "search", re.compile(r"<[A-Za-z0-9._+-]")),
)


def path_literals(file: NixFile) -> list[PathLiteral]:
    """Every path literal in the file, in source order."""
    text = file.text
    data = file.data
    found = []
    for node_kind, kind, possible in _PATH_KINDS:
        if not possible.search(text):
            continue
        for node in file.root.find_by_kind(node_kind):
            found.append(_path_literal(node, kind, data))
    found.sort(key=lambda literal: literal.start)
    return found


def _path_literal(node: SyntaxNode, kind: str, data: bytes) -> PathLiteral:
    start, end = node.text_range()
    raw = data[start:end]
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
    for attrset in _attrsets_of(root):
        _namespaces_in(attrset, (), seen, top_level=True)
    return list(seen)


def _namespaces_in(attrset: SyntaxNode, base: tuple[str, ...], seen: dict, top_level: bool) -> None:
    for binding in bindings(attrset):
        path = base + binding.path
        if top_level and not base:
            if path[0] in _SKIPPED_TOP_LEVEL:
                continue
            if path[0] == "config":
                if len(path) == 1:
                    for inner in _attrsets_of(binding.value):
                        _namespaces_in(inner, (), seen, top_level=False)
                    continue
                path = path[1:]
        if len(path) >= 2:
            seen.setdefault(path[:2], None)
            continue
        nested = _attrsets_of(binding.value)
        if not nested:
            seen.setdefault(path, None)
        for inner in nested:
            _namespaces_in(inner, path, seen, top_level=False)


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


@dataclass
class FileIndex:
    file: NixFile
    formals: Optional[Formals]
    body: Optional[SyntaxNode]
    bindings: list[Binding]
    imports: list[ImportElement]
    paths: list[PathLiteral]


def index_file(file: NixFile) -> FileIndex:
    """Everything the import-graph analysis reads from one file, in one pass over it."""
    top = body(file)
    top_bindings = bindings(top) if top is not None and top.kind() == "NODE_ATTR_SET" else []
    imports: list[ImportElement] = []
    for binding in top_bindings:
        if binding.path == ("imports",):
            imports.extend(list_elements(binding.value))
    return FileIndex(file, formals(file), top, top_bindings, imports, path_literals(file))
