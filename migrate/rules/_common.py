"""What every rule shares: the Rule and Finding types, and queries over the analysis.

Rules read the analysis (roots, their module files, file roles) and answer
with concrete occurrences in the analysed repository.  Option settings are
found syntactically in each module's attribute set (through ``config = { }``,
``lib.mkIf``/``mkMerge``, nested sets and ``inherit``), which keeps file:line
exact and never evaluates user code beyond what the analysis already did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

from migrate.analyze.model import Analysis, Root
from migrate.nix import query

# -- the public types --------------------------------------------------------------------


@dataclass
class Finding:
    """One concrete occurrence of a rule's case in the analysed repository."""

    rule_id: str
    file: Optional[str]
    line: Optional[int]
    message: str
    root: Optional[str] = None  # the root (host or home configuration) it concerns, if one
    data: dict = field(default_factory=dict)

    def location(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_json(self) -> dict:
        return {"id": self.rule_id, "file": self.file, "line": self.line, "message": self.message,
                "root": self.root, "data": _jsonable(self.data)}

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.rule_id} {self.message}" if where else f"{self.rule_id} {self.message}"


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


@dataclass(frozen=True)
class Rule:
    """One semantic gap between standalone Home Manager and Home Manager as a NixOS module."""

    id: str
    name: str  # the slug of the file name
    message: str  # one line
    explanation: str  # What it does / Why / Example / Fix, printed by `migrate --explain`
    fix: str  # one line: what the migration does about it
    safe: bool  # whether that fix preserves meaning without the user's review
    detect: Callable[[Analysis], list] = field(repr=False, compare=False, default=lambda analysis: [])
    # Once the plan exists, a finding can say what the migration actually did about it.
    after_plan: Optional[Callable[[Finding, Any], Finding]] = field(repr=False, compare=False, default=None)

    def check(self, analysis: Analysis) -> list[Finding]:
        return list(self.detect(analysis))

    def explain(self) -> str:
        safety = "safe" if self.safe else "needs review"
        return (f"{self.id}: {self.message}\n\n{self.explanation.strip()}\n\n"
                f"Fix ({safety})\n  {self.fix}\n")

    def finding(self, file, line, message, root=None, **data) -> Finding:
        return Finding(self.id, file, line, message, root, data)


# -- positions ------------------------------------------------------------------------------


def where_parts(where: Optional[str]) -> tuple[Optional[str], Optional[int]]:
    """``file:line:col`` (or ``file:line``, ``file``) -> (file, line)."""
    if not where:
        return None, None
    parts = where.split(":")
    numbers = []
    while len(parts) > 1 and parts[-1].isdigit() and len(numbers) < 2:
        numbers.insert(0, int(parts.pop()))
    return ":".join(parts), (numbers[0] if numbers else None)


def where_col(where: Optional[str]) -> tuple[Optional[str], Optional[int], Optional[int]]:
    file, line = where_parts(where)
    col = None
    if where and line is not None:
        tail = where.rsplit(":", 2)
        if len(tail) == 3 and tail[1].isdigit() and tail[2].isdigit():
            col = int(tail[2])
    return file, line, col


def line_of(nix, node) -> int:
    return nix.line_col(node.text_range()[0])[0]


def parse(analysis: Analysis, path: str):
    """The parsed file, or None when it cannot be read (never raises)."""
    evaluator = getattr(analysis, "evaluator", None)
    if evaluator is None or not path:
        return None
    try:
        return evaluator.parse(path)
    except Exception:
        return None


def path_literals(nix) -> list:
    """query.path_literals of a parsed file, from its index when the analysis built one
    (the index keeps them; every rule that reads them would otherwise search again)."""
    index = nix.derived.get("file index")
    return index.paths if index is not None else query.path_literals(nix)


def node_at(nix, line: int, col: Optional[int], kinds: tuple[str, ...]):
    """The outermost node of one of ``kinds`` starting at line:col (col counts characters)."""
    try:
        start = nix.lines.line_start(line)
    except IndexError:
        return None
    if col is not None:
        line_text = nix.data[start:].split(b"\n", 1)[0].decode("utf-8", "replace")
        start += len(line_text[: col - 1].encode("utf-8"))
    best = None
    for kind in kinds:
        for node in nix.root.find_by_kind(kind):
            node_start, node_end = node.text_range()
            if node_start == start and (best is None or node_end - node_start > best.text_range()[1] - best.text_range()[0]):
                best = node
    return best


def normalize_text(text: str) -> str:
    """Source text without comments and whitespace: to compare two expressions."""
    text = re.sub(r"#[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"\s+", "", text)


def quiet(evaluator):
    """Evaluate on behalf of a rule without adding to the analysis' warnings."""
    return evaluator.quietly()


# -- roots -----------------------------------------------------------------------------------


def migrating_homes(analysis: Analysis) -> list[Root]:
    """Standalone home configurations that become NixOS-module users (attached ones)."""
    return [h for h in analysis.homes.values() if not h.integrated and h.hosts]


def ambiguous_homes(analysis: Analysis) -> list[Root]:
    return [h for h in analysis.homes.values() if not h.integrated and h.ambiguous]


def standalone_homes(analysis: Analysis) -> list[Root]:
    """Home configurations that stay standalone (no NixOS host, not ambiguous)."""
    return [h for h in analysis.homes.values() if not h.integrated and not h.hosts and not h.ambiguous]


def module_files(root: Root) -> list[str]:
    """Files the root evaluates as modules (not merely imported as values), sorted."""
    found = []
    for path, reach in root.files.items():
        if not path.endswith(".nix"):
            continue
        edges = getattr(reach, "edges", None) or []
        if not edges or any(getattr(e, "kind", "module") == "module" for e in edges):
            found.append(path)
    return sorted(found)


def label(home: Root) -> str:
    """How messages name a home configuration: its flake output, or the channel setup's user."""
    if home.call is not None or home.integrated:
        return f"homeConfigurations.{home.name}" if not home.integrated else f"home-manager.users.{home.user}"
    return f"the Home Manager configuration of {home.user or home.name}"


def root_location(root: Root) -> tuple[Optional[str], Optional[int]]:
    return where_parts(root.where)


def call_arg_thunk(root: Root, name: str):
    args = getattr(root.call, "args", None) if root.call is not None else None
    thunk = getattr(args, "attrs", {}).get(name) if args is not None else None
    return thunk


# -- modules and the options they set ----------------------------------------------------------


@dataclass
class Source:
    """One module definition: a file's body, or an inline module written in a list."""

    path: str
    nix: Any
    node: Any  # the module expression (lambda, attribute set, ...)


class Setting:
    """``a.b.c = value;`` (or ``inherit c;`` inside ``a.b``) in a module, with its full option path.

    ``line`` and ``parts`` (name and component node per path component) are read
    from the tree only when a rule asks: a large repository has hundreds of
    thousands of settings and rules look closely at few of them.
    """

    __slots__ = ("path", "node", "value", "file", "inherited", "_nix", "_sources", "_line", "_parts", "_position")

    def __init__(self, path, sources, node, value, file, nix, inherited=False):
        self.path: tuple[str, ...] = path
        self.node = node  # the binding (NODE_ATTRPATH_VALUE) or the inherited name node
        self.value = value  # the value node; for `inherit` the name node
        self.file: str = file
        self.inherited = inherited
        self._nix = nix
        self._sources = sources  # per enclosing binding: (attrpath node, components to skip) or (None, (name, node))
        self._line: Optional[int] = None
        self._parts: Optional[tuple] = None
        self._position: Optional[tuple] = None

    @property
    def position(self) -> tuple:
        """(file, byte range): the same setting reached through two sources is one.
        Settings are cached per module, so each is located once, not once per root."""
        if self._position is None:
            self._position = (self.file, self.node.text_range())
        return self._position

    @property
    def line(self) -> int:
        if self._line is None:
            self._line = line_of(self._nix, self.node)
        return self._line

    @property
    def parts(self) -> tuple:
        if self._parts is None:
            parts = []
            for attrpath, extra in self._sources:
                parts.extend(_components(attrpath)[extra:] if attrpath is not None else [extra])
            self._parts = tuple(parts)
        return self._parts

    @property
    def text(self) -> str:
        return self.value.text() if self.value is not None else ""

    @property
    def option(self) -> str:
        return ".".join(self.path)

    def __repr__(self) -> str:
        return f"Setting({self.option} @ {self.file})"


_TRANSPARENT = frozenset({
    "mkIf", "mkDefault", "mkForce", "mkOverride", "mkBefore", "mkAfter", "mkOrder", "mkMerge",
    "mkOptionDefault", "mkVMOverride",
})
_WRAPPERS = ("NODE_LAMBDA", "NODE_LET_IN", "NODE_PAREN", "NODE_WITH", "NODE_ASSERT")


def attrsets_of(expr) -> list:
    """Attribute sets a module or option value is made of, seen through wrappers."""
    expr = query.unparen(expr)
    if expr is None:
        return []
    kind = expr.kind()
    if kind == "NODE_ATTR_SET":
        return [expr]
    if kind in _WRAPPERS:
        return attrsets_of(expr.last_child())
    if kind == "NODE_APPLY":
        function, args = query.apply_spine(expr)
        name = function.text().rsplit(".", 1)[-1] if function.kind() in ("NODE_IDENT", "NODE_SELECT") else ""
        if name in _TRANSPARENT and args:
            last = query.unparen(args[-1])
            if name == "mkMerge" and last is not None and last.kind() == "NODE_LIST":
                return [s for item in last.children() for s in attrsets_of(item)]
            return attrsets_of(last)
    return []


def _components(attrpath) -> tuple:
    parts = []
    for child in attrpath.children():
        parts.append((query.attr_name(child), child))
    return tuple(parts)


def settings(source: Source, prefix: tuple[str, ...] = (), module: bool = True) -> list[Setting]:
    """Every option setting of the module at or under ``prefix``.

    For a module (``module=True``) a top-level ``config`` is stripped and
    ``imports``/``options``/... are skipped; otherwise the attribute set is
    read as plain data (e.g. the argument of ``import nixpkgs { ... }``).
    """
    return list(_settings(source, (source.path, source.node.text_range()), prefix, module))


def _settings(source: Source, place: tuple, prefix: tuple[str, ...], module: bool) -> list[Setting]:
    """settings() of the source at `place` (path, byte range), not to be changed by the caller."""
    # Each rule asks every root for a few prefixes and most modules belong to many
    # roots: the pruned walk is done once per module and prefix.
    key = ("settings", place, prefix, module)
    found = source.nix.derived.get(key)
    if found is None:
        found = []
        # An option is set under its name as written (`home.x`, `home = {`, `"home"`,
        # `inherit home`): a file that never spells the first name sets nothing there.
        if not prefix or prefix[0] in source.nix.text:
            for attrset in attrsets_of(source.node):
                _walk(source, attrset, (), prefix, found, top=module)
        source.nix.derived[key] = found
    return found


def _walk(source: Source, attrset, base: tuple, prefix: tuple, found: list, top: bool, sources: tuple = ()) -> None:
    nix = source.nix
    for binding in query.bindings(attrset, nix):
        names = binding.path
        here = sources + ((binding.attrpath, 0),)
        path = base + names
        if top and names and names[0] == "config":
            path, here = names[1:], ((binding.attrpath, 1),)
        if top and names and names[0] in ("imports", "options", "_file", "key", "disabledModules", "meta"):
            continue
        if not path:
            for inner in attrsets_of(binding.value):
                _walk(source, inner, (), prefix, found, top=False)
            continue
        shared = min(len(path), len(prefix))
        if path[:shared] != prefix[:shared]:
            continue
        inner_sets = attrsets_of(binding.value)
        if len(path) >= len(prefix):
            found.append(Setting(path, here, binding.node, binding.value, source.path, nix))
        for inner in inner_sets:
            _walk(source, inner, path, prefix, found, top=False, sources=here)
    for inherit in query.inherits(attrset):
        for name, name_node in zip(inherit.names, inherit.name_nodes):
            path = base + (name,)
            if path[: len(prefix)] == prefix[: len(path)] and len(path) >= len(prefix):
                found.append(Setting(path, sources + ((None, (name, name_node)),), name_node, name_node,
                                     source.path, nix, inherited=True))


def inline_modules_of(source: Source) -> list[Source]:
    """Modules written inline in the ``imports`` list of a module file."""
    key = ("inline modules", source.path, source.node.text_range())
    found = source.nix.derived.get(key)
    if found is None:
        found = source.nix.derived[key] = _inline_modules(source)
    return found


def _inline_modules(source: Source) -> list[Source]:
    found = []
    for attrset in attrsets_of(source.node):
        try:
            elements = query.imports_elements(attrset, source.nix)
        except Exception:
            continue
        for element in elements:
            node = query.unparen(element.node)
            if node is not None and node.kind() in ("NODE_ATTR_SET", "NODE_LAMBDA") and not element.is_list:
                found.append(Source(source.path, source.nix, node))
    return found


def _root_module_files(analysis: Analysis, root: Root) -> list[str]:
    """module_files(root), computed once per root: rules ask each root once per option prefix."""
    per_root = analysis.derived.setdefault("rule module files", {})
    found = per_root.get(id(root))
    if found is None:
        found = per_root[id(root)] = module_files(root)
    return found


def _placed_file_sources(analysis: Analysis, path: str) -> list[tuple[Source, tuple]]:
    """The module file's body and its inline modules, placed; the same for every root."""
    nix = parse(analysis, path)
    if nix is None:
        return []
    key = ("placed sources", path)
    found = nix.derived.get(key)
    if found is None:
        body = Source(path, nix, nix.expression)
        found = nix.derived[key] = [(source, (source.path, source.node.text_range()))
                                    for source in (body, *inline_modules_of(body))]
    return found


def _placed_entry_modules(analysis: Analysis, root: Root) -> list[tuple[Source, tuple]]:
    """_inline_entry_modules with their places, found once per root."""
    per_root = analysis.derived.setdefault("rule entry modules", {})
    found = per_root.get(id(root))
    if found is None:
        found = per_root[id(root)] = [(source, (source.path, source.node.text_range()))
                                      for source in _inline_entry_modules(analysis, root)]
    return found


def _inline_entry_modules(analysis: Analysis, root: Root) -> list[Source]:
    """Attribute sets and functions written directly in the root's ``modules = [ ... ]``."""
    from migrate.analyze.values import AttrSet, Lambda, NixList, force

    modules = call_arg_thunk(root, "modules")
    if modules is None:
        return []
    value = force(modules)
    items = value.items if isinstance(value, NixList) else []
    found = []
    for thunk in items:
        if isinstance(force(thunk), (AttrSet, Lambda)):
            file, line, col = where_col(thunk.where())
            nix = parse(analysis, file) if file else None
            if nix is None or line is None:
                continue
            node = node_at(nix, line, col, ("NODE_ATTR_SET", "NODE_LAMBDA", "NODE_PAREN", "NODE_APPLY"))
            if node is not None:
                found.append(Source(file, nix, node))
    return found


def root_settings(analysis: Analysis, root: Root, prefix: tuple[str, ...]) -> list[Setting]:
    """Every setting at or under ``prefix`` in the modules the root evaluates: its module
    files (with their inline modules), then the modules written in its ``modules`` list."""
    # Most files belong to many roots and set nothing under the prefix: a file's settings
    # are found once per prefix and each root only looks them up.
    per_file = analysis.derived.setdefault(("settings per file", prefix), {})
    result = []
    seen = set()

    def add(settings: list[Setting]) -> None:
        for setting in settings:
            key = setting.position
            if key not in seen:
                seen.add(key)
                result.append(setting)

    for path in _root_module_files(analysis, root):
        found = per_file.get(path)
        if found is None:
            found = per_file[path] = [setting for source, place in _placed_file_sources(analysis, path)
                                      for setting in _settings(source, place, prefix, True)]
        if found:
            add(found)
    for source, place in _placed_entry_modules(analysis, root):
        add(_settings(source, place, prefix, True))
    return result


def guarded(fn: Callable[[Analysis], list], rule_id: str) -> Callable[[Analysis], list]:
    """A detector that reports its own failure as a finding instead of raising."""

    def run(analysis: Analysis) -> list:
        try:
            return list(fn(analysis))
        except Exception as exc:  # a rule bug must not stop the migration report
            return [Finding(rule_id, None, None, f"this rule could not be checked ({type(exc).__name__}: {exc})",
                            data={"internal_error": True})]

    return run


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def iter_homes_of_file(analysis: Analysis, path: str) -> Iterator[Root]:
    for home in analysis.homes.values():
        if not home.integrated and path in home.files:
            yield home
