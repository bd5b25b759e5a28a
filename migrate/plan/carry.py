"""Values of a standalone configuration written again where flake.nix now wires the
host: a module, an extraSpecialArgs value, a `pkgs` setting.

Copying an expression's text is right only when every name it reads means the same
at the new place. A helper such as `mkHome = user: homeManagerConfiguration {
extraSpecialArgs.me = users.${user}; }` reads `user`, which is not in scope beside
`nixosConfigurations`: the copy must say which value it had for this home. The
name is then bound by a `let` in front of the copy, to the value the analysis knows
(a plain value written out, or the expression that defined it, carried the same
way), so the user still reads their own expression. What cannot be carried stops
the run with the place that defines it.
"""

from __future__ import annotations

from typing import Optional

import pynix_parser

from migrate.analyze.values import (
    AttrSet, Builtin, External, Lambda, LazyCall, NixList, NixPath, PathString, Thunk, Unknown, force, unwrap,
)
from migrate.errors import MigrateError
from migrate.nix import emit, scopes
from migrate.nix.query import same_node, unparen
from migrate.plan.paths import PathMap, nix_path

FLAKE = "flake.nix"
_MAX_DEPTH = 6  # definitions carried inside definitions
_MAX_LITERAL = 40  # attributes or items of a set or list written out as a value


class CarryError(MigrateError):
    pass


def copies_a_body(node) -> bool:
    """Whether NODE writes a value out (a set, a function) rather than naming one."""
    return unparen(node).kind() in ("NODE_ATTR_SET", "NODE_LAMBDA")


def copied_note(what: str, where: str, destination: str) -> str:
    """The report's line for a value copied out of another file: that file no longer
    decides what the host builds, which the user must know before editing it."""
    return (f"{what}: the expression at {where} is copied into {destination}, where the host is wired (a value "
            "inside a file cannot be imported by its path); from now on the copy is what the host builds")


class Carrier:
    """Writes values as Nix source valid at SITE, a node of flake.nix (where the host's
    `home-manager` settings go)."""

    def __init__(self, editor, path_map: PathMap, site, outputs=None):
        self.editor = editor
        self.map = path_map
        self.site = site
        self.outputs = outputs  # the flake's outputs (AttrSet): a value that is one is named `self.<path>`
        self.copied: list[str] = []  # notes on values copied from other files

    def carry(self, thunk, what: str) -> str:
        """Source for THUNK's value at the site (an expression; `operand()` makes it a list
        item); raises MigrateError naming the place of what cannot be carried."""
        return self._carry(thunk, what, 0)

    def literal(self, value) -> Optional[str]:
        """A plain value (scalars, repository paths, inputs, sets and lists of them)
        as source, or None."""
        return self._literal(value, 0)

    # -- expressions ---------------------------------------------------------------------

    def _carry(self, thunk, what: str, depth: int) -> str:
        origin = _origin(thunk)
        if origin is None and _assembled(force(thunk)) and depth < _MAX_DEPTH:
            # a set the evaluator assembled (`config.a = 1; config.b.c = 2;`): each member carried
            return self._assemble(force(thunk), what, depth)
        if origin is None or origin.path != FLAKE:
            literal = self._literal(force(thunk), 0)
            if literal is not None:
                if origin is not None and literal.startswith("{"):  # a set written out, not a name for it
                    self.copied.append(copied_note(what, origin.where, FLAKE))
                return literal
            if origin is not None and _self_contained(origin):
                if copies_a_body(origin.node):
                    self.copied.append(copied_note(what, origin.where, FLAKE))
                return origin.node.text()  # reads only builtins: the same anywhere
            where = origin.where if origin is not None else _where(thunk)
            raise CarryError(f"{what} is written at {where or 'an unknown place'}, outside flake.nix's scope, and "
                             "is not a plain value: the tool cannot carry it into the host's wiring; nothing was written")
        text = self._text(origin)
        bindings = {}
        for name in scopes.free_variables(origin.node):
            if scopes.means_the_same(name, origin.node, self.site):
                continue
            value = self._rebind(origin, name, what, depth)
            if value != name:  # the same value under the same name where the host is wired
                bindings[name] = value
        return _let(bindings, text) if bindings else text

    def _assemble(self, value: AttrSet, what: str, depth: int) -> str:
        if len(value.attrs) > _MAX_LITERAL:
            raise CarryError(f"{what} is a set of {len(value.attrs)} attributes the tool would have to write out "
                             "one by one; nothing was written")
        bindings = []
        for path, member in _leaves(value, ()):
            bindings.append(f"{'.'.join(emit.attr_key(p) for p in path)} = {self._carry(member, what, depth + 1)};")
        return "{ " + " ".join(bindings) + " }" if bindings else "{ }"

    def _rebind(self, origin, name: str, what: str, depth: int) -> str:
        """NAME as the expression at ORIGIN reads it, written for the site."""
        found = origin.env.lookup(name) if origin.env is not None else None
        place = self._binding_place(origin, name)
        if found is None:
            raise CarryError(f"{what} ({origin.where}) reads `{name}`{place}, which is not in scope where flake.nix "
                             "now wires the host, and the analysis has no value for it; nothing was written")
        # The expression that defined it, when flake.nix has one, reads as the user wrote it
        # (`inputs` passed to a helper stays `inputs`); else the value it has.
        inner = _origin(found)
        failed = None
        if inner is not None and inner.path == FLAKE and depth < _MAX_DEPTH and not same_node(inner.node, origin.node):
            try:
                return self._carry(found, what, depth + 1)
            except CarryError as error:
                failed = error
        value = force(found)
        literal = self._literal(value, 0)
        if literal is not None:
            return literal
        if failed is not None:
            raise failed  # names the place deeper down that cannot be carried
        plain = unwrap(value)
        reason = f"unknown ({plain.reason})" if isinstance(plain, Unknown) else "not a plain value"
        raise CarryError(f"{what} ({origin.where}) reads `{name}`{place}, which is not in scope where flake.nix "
                         f"now wires the host, and its value is {reason}: define it where the host is wired "
                         "(the outputs' let) or pass it differently; nothing was written")

    def _binding_place(self, origin, name: str) -> str:
        node = scopes.binder(origin.node, name)
        if node is None or origin.path != FLAKE:
            return ""
        line, _col = self.editor.nix.line_col(node.text_range()[0])
        return f" (bound by the expression at {FLAKE}:{line})"

    def _text(self, origin) -> str:
        """The source of ORIGIN's node as the plan leaves it (relative paths rewritten)."""
        text = self.editor.changes.text_between(*origin.node.text_range())
        if origin.attribute is not None:  # `inherit (source) attribute;`
            return f"{operand(text)}.{emit.attr_key(origin.attribute)}"
        return text

    # -- plain values --------------------------------------------------------------------

    def _literal(self, value, depth: int) -> Optional[str]:
        value = unwrap(value)
        if value is None or isinstance(value, bool):
            return "null" if value is None else ("true" if value else "false")
        if isinstance(value, (int, float)):
            return repr(value)
        if isinstance(value, PathString):
            return None  # a store path in real Nix: written as the expression that made it
        if isinstance(value, str):
            return emit.string_literal(value)
        if isinstance(value, NixPath) and value.path is not None:
            return nix_path(self.map.target(value.path) or value.path, "")
        if isinstance(value, External):
            return self._input(value)
        if _is_flake_itself(value):
            return self._input(External("inputs.self"))  # `self`, or `inputs.self` through `@inputs`
        own = self._own_output(value)
        if own is not None:
            return own
        if depth >= 3:
            return None
        if _assembled(value) and len(value.attrs) <= _MAX_LITERAL:
            parts = []
            for key in sorted(value.attrs):
                written = self._literal(value.attrs[key], depth + 1)
                if written is None:
                    return None
                parts.append(f"{emit.attr_key(key)} = {written};")
            return "{ " + " ".join(parts) + " }" if parts else "{ }"
        if isinstance(value, NixList) and len(value.items) <= _MAX_LITERAL:
            items = [self._literal(item, depth + 1) for item in value.items]
            if any(item is None for item in items):
                return None
            return "[ " + " ".join(operand(item) for item in items) + " ]" if items else "[ ]"
        return None

    def _own_output(self, value) -> Optional[str]:
        """VALUE as `self.<path>` when it is one of the flake's own outputs the analysis
        computed (`inputs.self.overlays.default` read in another file), else None. A set or
        function only: a string or number has no identity to find it by, and an unknown
        value is shared by whatever it flows into. Configurations are left out, since the
        standalone ones become comments."""
        if self.outputs is None or not isinstance(value, (AttrSet, Lambda, Builtin)):
            return None
        todo = [((), self.outputs)]
        while todo:
            path, holder = todo.pop(0)
            for name, thunk in holder.attrs.items():
                if name.endswith("Configurations"):
                    continue
                if not isinstance(thunk, Thunk) or not thunk.is_forced:
                    continue  # what the evaluation never needed is not what VALUE came from
                member = unwrap(thunk.value)
                if member is value:
                    return self._self_path(path + (name,))
                if isinstance(member, AttrSet) and len(path) < 2 and not _is_flake_itself(member):
                    todo.append((path + (name,), member))
        return None

    def _self_path(self, path: tuple) -> Optional[str]:
        try:
            head = self.editor.input_expr("self")
        except MigrateError:
            return None
        return ".".join([head] + [emit.attr_key(p) for p in path])

    def _input(self, value: External) -> Optional[str]:
        """A flake input (or a value in one) by the name the outputs give it."""
        parts = value.name.split(".")
        if parts[0] != "inputs" or len(parts) < 2 or value.is_subpath or value.imported:
            return None
        try:
            head = self.editor.input_expr(parts[1])
        except MigrateError:
            return None
        return ".".join([head] + [emit.attr_key(p) for p in parts[2:]])


def _leaves(value: AttrSet, path: tuple) -> list[tuple[tuple, object]]:
    """(path, thunk) of each member, nested sets the evaluator assembled opened."""
    found = []
    for key, member in value.attrs.items():  # in the order they were written
        if _origin(member) is None and _assembled(force(member)) and len(path) < 4:
            found.extend(_leaves(force(member), path + (key,)))
        else:
            found.append((path + (key,), member))
    return found


def _self_contained(origin) -> bool:
    """An expression of another file that reads nothing of that file: only builtins
    (no `with` around it), and no relative path (it would name another place)."""
    if origin.attribute is not None or origin.node.find_by_kind("NODE_PATH_REL"):
        return False
    if origin.node.kind() == "NODE_PATH_REL" or scopes.withs_around(origin.node):
        return False
    return all(scopes.binder(origin.node, name) is None and name in _BUILTIN_NAMES
               for name in scopes.free_variables(origin.node))


# The names Nix binds in every scope (`builtins` and the ones it also exposes unqualified).
_BUILTIN_NAMES = frozenset({
    "builtins", "true", "false", "null", "import", "toString", "map", "throw", "abort", "baseNameOf",
    "dirOf", "isNull", "removeAttrs", "derivation", "placeholder", "fetchTarball", "fetchGit", "fetchurl",
    "scopedImport", "fromTOML",
})


def _is_flake_itself(value) -> bool:
    """The flake's `self` as the analysis gives it: its outputs, `inputs`, `outputs` and
    `outPath` (the flake's folder)."""
    if not isinstance(value, AttrSet) or not {"outPath", "inputs", "outputs"} <= set(value.attrs):
        return False
    where = force(value.attrs["outPath"])
    return isinstance(where, NixPath) and where.path == ""


def _assembled(value) -> bool:
    """A set of plain members (not the flake itself, a package, a functor), written out
    member by member when it has no expression of its own."""
    return isinstance(value, AttrSet) and not ({"outPath", "_type", "__functor"} & set(value.attrs))


def _let(bindings: dict[str, str], body: str) -> str:
    """`let NAME = VALUE; ... in BODY`. A value that reads one of the names bound here
    means the name around the let (it was written for the site): it is bound under a
    fresh alias first, since a let's names are in scope in its own values."""
    bound = set(bindings)
    read = {name for value in bindings.values() for name in free_in_text(value)}
    if not bound & read:
        head = " ".join(f"{emit.attr_key(name)} = {value};" for name, value in bindings.items())
        return f"let {head} in {body}"
    taken = bound | read | set(free_in_text(body))
    aliases = {}
    for name in bindings:
        alias = name + "'"
        while alias in taken:
            alias += "'"
        taken.add(alias)
        aliases[name] = alias
    outer = " ".join(f"{aliases[name]} = {value};" for name, value in bindings.items())
    inner = " ".join(f"{emit.attr_key(name)} = {aliases[name]};" for name in bindings)
    return f"let {outer} in let {inner} in {body}"


class _Origin:
    """Where a thunk's expression is written: its node, file, scope; `attribute` for
    `inherit (source) attribute;` (the node is then the source)."""

    __slots__ = ("node", "path", "env", "attribute", "where")

    def __init__(self, node, path, env, attribute, where):
        self.node = node
        self.path = path
        self.env = env
        self.attribute = attribute
        self.where = where


def _origin(thunk) -> Optional[_Origin]:
    if isinstance(thunk, LazyCall):
        origin = thunk.origin
        node = getattr(origin, "node", None)
        parent = node.parent() if node is not None else None
        if parent is None or parent.kind() != "NODE_INHERIT_FROM" or not thunk.args:
            return None
        source, attribute = thunk.args
        return _Origin(node, origin.src.path, getattr(source, "env", None), attribute, origin.where())
    expr = getattr(thunk, "expr", None)
    if not isinstance(thunk, Thunk) or expr is None or getattr(expr, "node", None) is None:
        return None
    return _Origin(expr.node, expr.src.path, thunk.env, None, expr.where())


def _where(thunk) -> Optional[str]:
    return thunk.where() if isinstance(thunk, Thunk) else None


def _parsed(text: str):
    try:
        return pynix_parser.parse(text)
    except ValueError:
        return None


def free_in_text(text: str) -> list[str]:
    root = _parsed(text)
    return scopes.free_variables(root) if root is not None else []


# Expressions that need no parentheses as a list item or before `.attr`.
_OPERANDS = ("NODE_IDENT", "NODE_SELECT", "NODE_STRING", "NODE_LITERAL", "NODE_LIST", "NODE_ATTR_SET",
             "NODE_PAREN", "NODE_PATH_ABS", "NODE_PATH_REL", "NODE_PATH_HOME", "NODE_PATH_SEARCH")


def operand(text: str) -> str:
    """TEXT, parenthesised unless it already is one term (a list item, a selection's subject)."""
    root = _parsed(text)
    inner = root.first_child() if root is not None else None
    # `a.b or { }` is one term to Nix, but reads as two list items to a person.
    readable = inner is not None and not (
        inner.kind() == "NODE_SELECT" and any(t.kind() == "TOKEN_OR" for t in inner.children_with_tokens()))
    if readable and inner.kind() in _OPERANDS and "\n" not in text.strip():
        return text
    if inner is not None and inner.kind() == "NODE_PAREN":
        return text
    return f"({text})"
