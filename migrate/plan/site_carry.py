"""Writing, at a host's definition in a flake module, a value the user wrote somewhere else (a module of a
Home Manager configuration, an extraSpecialArgs value), with the same meaning.

The text is carried as written when every name it uses means the same at the
destination: a builtin, a module argument of flake-parts (the same in every flake
module; the destination module is made to ask for it), or the very binding the
destination sees too (same file, same `let`). A name bound by a `let` the destination
does not see is replaced by its own definition, carried the same way. What cannot be
carried gives None: the caller says so, or finds another way to name the value.
"""

from __future__ import annotations

from typing import Callable, Optional

from migrate.nix import query

_GLOBALS = frozenset((
    "builtins", "true", "false", "null", "import", "abort", "throw", "toString", "map", "removeAttrs",
    "baseNameOf", "dirOf", "isNull", "derivation", "fetchTarball", "fetchGit", "fetchurl", "placeholder",
    "scopedImport", "fromTOML", "__curPos",
))
_MAX_DEPTH = 4


class Binder:
    """What a name refers to at some node: a function argument, a `let` or `rec` binding
    (with its value node), a `with` (unknown names), or nothing (a global)."""

    __slots__ = ("kind", "node", "value")

    def __init__(self, kind: str, node, value=None):
        self.kind = kind  # 'formal', 'let', 'with'
        self.node = node
        self.value = value

    def same(self, other: Optional["Binder"]) -> bool:
        return other is not None and self.kind == other.kind and query.same_node(self.node, other.node)


def binder_of(node, name: str) -> Optional[Binder]:
    """The binder of NAME seen from NODE: lexical scopes first, then the innermost `with`."""
    child, parent = node, node.parent()
    with_node = None
    while parent is not None:
        kind = parent.kind()
        if kind == "NODE_LAMBDA" and query.same_node(parent.last_child(), child):
            if name in lambda_names(parent):
                return Binder("formal", parent)
        elif kind == "NODE_LET_IN":
            found = _binding_in(query.let_bindings(parent), name)
            if found is not None:
                return Binder("let", parent, found)
            if any(name in inherit.names for inherit in query.inherits(parent)):
                return Binder("inherit", parent)
        elif kind == "NODE_ATTR_SET" and _is_rec(parent):
            found = _binding_in(query.bindings(parent), name)
            if found is not None:
                return Binder("let", parent, found)
        elif kind == "NODE_WITH" and with_node is None and query.same_node(parent.last_child(), child):
            with_node = parent
        child, parent = parent, parent.parent()
    return Binder("with", with_node) if with_node is not None else None


def lexical_names(node) -> set[str]:
    """Every name a lexical scope binds at NODE (function arguments, `let`, `rec`)."""
    names: set[str] = set()
    child, parent = node, node.parent()
    while parent is not None:
        kind = parent.kind()
        if kind == "NODE_LAMBDA" and query.same_node(parent.last_child(), child):
            names.update(lambda_names(parent))
        elif kind == "NODE_LET_IN":
            names.update(b.path[0] for b in query.let_bindings(parent))
            for inherit in query.inherits(parent):
                names.update(inherit.names)
        elif kind == "NODE_ATTR_SET" and _is_rec(parent):
            names.update(b.path[0] for b in query.bindings(parent))
        child, parent = parent, parent.parent()
    return names


def lambda_names(lam) -> set[str]:
    formals = query.formals(lam)
    if formals is None:
        return set()
    names = set(formals.names)
    if formals.at_name:
        names.add(formals.at_name)
    if formals.ident:
        names.add(formals.ident)
    return names


def _binding_in(bindings, name: str):
    for binding in bindings:
        if binding.path == (name,):
            return binding.value
    return None


def _is_rec(attrset) -> bool:
    token = attrset.first_token()
    return token is not None and token.kind() == "TOKEN_REC"


def free_names(node) -> list[tuple[str, object]]:
    """(name, identifier node) of the variables NODE reads that it does not bind itself."""
    bound: set[str] = set()
    for inner in [node] + list(node.find_by_kind("NODE_LAMBDA")):
        if inner.kind() == "NODE_LAMBDA":
            bound.update(lambda_names(inner))
    for kind in ("NODE_LET_IN",):
        for inner in node.find_by_kind(kind):
            bound.update(b.path[0] for b in query.let_bindings(inner))
    for inner in node.find_by_kind("NODE_ATTR_SET"):
        if _is_rec(inner):
            bound.update(b.path[0] for b in query.bindings(inner))
    idents = [node] if node.kind() == "NODE_IDENT" else list(node.find_by_kind("NODE_IDENT"))
    found = []
    for ident in idents:
        parent = ident.parent()
        parent_kind = parent.kind() if parent is not None else None
        if parent_kind in ("NODE_ATTRPATH", "NODE_PAT_ENTRY", "NODE_IDENT_PARAM", "NODE_PAT_BIND"):
            continue
        if parent_kind == "NODE_INHERIT" and parent.find_children_by_kind("NODE_INHERIT_FROM"):
            continue
        name = ident.text()
        if name not in bound:
            found.append((name, ident))
    return found


class Destination:
    """Where carried text is written: NODE in a file, and how a flake-parts module there
    asks for a module argument (``require_arg(name) -> bool``, None outside such a module)."""

    def __init__(self, node, file: str, require_arg: Optional[Callable[[str], bool]] = None):
        self.node = node
        self.file = file
        self.require_arg = require_arg
        self._names = None

    def names(self) -> set[str]:
        if self._names is None:
            self._names = lexical_names(self.node)
        return self._names


class Carrier:
    """``text(node, file)``: NODE's source text (of repository file FILE) for DESTINATION."""

    def __init__(self, destination: Destination, is_module_lambda: Callable[[str, object], bool], read=None,
                 written=None, value_text: Optional[Callable[[object], Optional[str]]] = None):
        self.destination = destination
        self.is_module_lambda = is_module_lambda  # (file, lambda node) -> a flake-parts module function?
        self.read = read  # repo path -> NixFile
        # (node, file, scope) of the expression the carried text sits in, as the analysis
        # evaluated it (a builder's argument set): a name bound outside it, by a builder's
        # parameter, is written as the value it had there when VALUE_TEXT can write that.
        self.written = written
        self.value_text = value_text

    def text(self, node, file: str, depth: int = 0) -> Optional[str]:
        if depth > _MAX_DEPTH:
            return None
        edits = []
        for name, ident in free_names(node):
            source = binder_of(ident, name)
            replacement = self._name(name, node, source, file, depth)
            if replacement is None:
                return None
            if replacement is True:
                continue
            parent = ident.parent()
            if isinstance(replacement, _Constant):
                if parent is not None and parent.kind() == "NODE_INTERPOL" and _in_plain_string(parent):
                    edits.append((parent.text_range(), _escaped(replacement.value)))  # `"${user}@x"` -> `"sam@x"`
                    continue
                replacement = replacement.text
                if replacement is None:
                    return None
            if parent is not None and parent.kind() == "NODE_INHERIT" and not query.same_node(ident, node):
                return None  # `inherit x;` cannot take an expression in place of x
            edits.append((ident.text_range(), replacement))
        start = node.text_range()[0]
        text = node.text()
        for (a, b), new in sorted(edits, reverse=True):
            text = _splice(text, a - start, b - start, new)
        return _dedent(text, self.source_indent(node, file))

    def source_indent(self, node, file: str) -> str:
        """The indentation of the line NODE starts on (its later lines are relative to it)."""
        data = self.read(file).data if self.read is not None else b""
        start = node.text_range()[0]
        line_start = data.rfind(b"\n", 0, start) + 1
        head = data[line_start:start]
        return head[: len(head) - len(head.lstrip(b" \t"))].decode("utf-8")

    def _name(self, name, carried, source: Optional[Binder], file: str, depth: int):
        """True when NAME (read in the CARRIED node) can stay as it is, replacement text, or None."""
        here = binder_of(self.destination.node, name) if self.destination.file == file else None
        seen = name in self.destination.names()
        if source is None or source.kind == "with":
            # A global, or a name a `with` inside the carried text provides: it must not be
            # shadowed where the text lands.
            return True if not seen and (source is None or _inside(carried, source.node)) else None
        if self.destination.file == file and source.same(here):
            return True
        if source.kind == "formal" and self.is_module_lambda(file, source.node):
            if self.destination.require_arg is None:
                return None
            if seen and not self._only_module_arg(name):
                return None
            return True if self.destination.require_arg(name) else None
        if self._outside_written(source, file):
            known = self._known_value(name, source, file, depth)
            if known is not None:
                return known
        if source.kind == "let" and source.value is not None:
            inner = self.text(source.value, file, depth + 1)
            if inner is None:
                return None
            return inner if _atomic(source.value) else f"({inner})"
        return None

    def _outside_written(self, source: Binder, file: str) -> bool:
        if self.written is None or source.node is None:
            return False
        node, written_file, _scope = self.written
        return written_file == file and _inside(source.node, node)

    def _known_value(self, name: str, source: Binder, file: str, depth: int):
        """NAME as the value it had where the analysis evaluated the written expression."""
        per_system = self._with_system_argument(name, source, file, depth)
        if per_system is not None:
            return per_system
        _node, _file, scope = self.written
        thunk = scope.lookup(name) if scope is not None else None
        if thunk is None or self.value_text is None:
            return None
        from migrate.analyze.values import force, unwrap
        value = unwrap(force(thunk))
        if isinstance(value, str):
            return _Constant(value, self.value_text(value))
        return self.value_text(value)

    def _with_system_argument(self, name: str, source: Binder, file: str, depth: int) -> Optional[str]:
        """An argument of `withSystem SYSTEM ({ pkgs, ... }: ...)` (flake-parts), asked again
        where the text lands: `(withSystem "x86_64-linux" ({ pkgs, ... }: pkgs))`."""
        if source.kind != "formal":
            return None
        argument = source.node
        while argument.parent() is not None and argument.parent().kind() == "NODE_PAREN":
            argument = argument.parent()
        apply = argument.parent()
        if apply is None or apply.kind() != "NODE_APPLY" or not query.same_node(apply.last_child(), argument):
            return None
        function = query.unparen(apply.first_child())
        if function is None or function.kind() != "NODE_APPLY":
            return None
        head = query.unparen(function.first_child())
        if head is None or head.kind() != "NODE_IDENT" or head.text() != "withSystem":
            return None
        asked = self.text(function, file, depth + 1)
        return None if asked is None else f"({asked} ({{ {name}, ... }}: {name}))"

    def _only_module_arg(self, name: str) -> bool:
        """Whether NAME, at the destination, is bound only by the module's own arguments."""
        found = binder_of(self.destination.node, name)
        return found is not None and found.kind == "formal" and self.is_module_lambda(self.destination.file, found.node)


class _Constant:
    """A string a name stood for: folded into a string it is interpolated in."""

    __slots__ = ("value", "text")

    def __init__(self, value: str, text: Optional[str]):
        self.value = value
        self.text = text


def _in_plain_string(interpol) -> bool:
    string = interpol.parent()
    return (string is not None and string.kind() == "NODE_STRING" and string.text().startswith('"')
            and len(interpol.children()) == 1)


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${")


def _inside(outer, node) -> bool:
    if outer is None:
        return False
    a, b = outer.text_range()
    c, d = node.text_range()
    return a <= c and d <= b


def _atomic(node) -> bool:
    return query.unparen(node).kind() in ("NODE_IDENT", "NODE_SELECT", "NODE_STRING", "NODE_LITERAL", "NODE_PATH_REL",
                                          "NODE_ATTR_SET", "NODE_LIST", "NODE_PAREN")


def _dedent(text: str, indent: str) -> str:
    """Later lines of TEXT without the indentation of its first line's line."""
    if "\n" not in text or not indent:
        return text
    first, *rest = text.split("\n")
    return "\n".join([first] + [line[len(indent):] if line.startswith(indent) else line.lstrip(" \t")
                                for line in rest])


def _splice(text: str, start: int, end: int, new: str) -> str:
    data = text.encode("utf-8")
    return (data[:start] + new.encode("utf-8") + data[end:]).decode("utf-8")
