"""The import graph of one root (a NixOS host or a Home Manager configuration).

Module imports are found by evaluating each module with the root's own
arguments, so `./${hostname}` and `lib.optional (desktop != null) ./x` are
decided per root. Value imports (`import ./colors.nix`, `callPackage ./x {}`)
sit in option values the module system would evaluate lazily; they are found
syntactically in every reached file, with the conditions written around them.
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Optional

from migrate.analyze.model import Edge, Reach, Root
from migrate.analyze.operations import path_string_to_path
from migrate.errors import MigrateError
from migrate.analyze.values import (
    AttrSet, Conditional, External, ExternalCall, Lambda, MkIf, MkMerge, MkOverride, NixList,
    NixPath, PathString, PkgsInstance, Thunk, Unknown, as_thunk, force,
)
from migrate.nix import query
from migrate.snapshot import join

_SPACES = re.compile(r"\s+")
_CONDITIONAL_FUNCTIONS = {"mkIf", "optional", "optionals", "optionalAttrs", "optionalString"}
# Bindings whose path literals are modules of some root, not values of this file.
_MODULE_POSITIONS = (("imports",), ("home-manager", "users"), ("home-manager", "sharedModules"))
_MODULE_POSITION_PREFIXES = _MODULE_POSITIONS + tuple(("config",) + p for p in _MODULE_POSITIONS)


def source_text(value, thunk: Optional[Thunk] = None) -> str:
    text = None
    if isinstance(value, External):
        text = value.text or value.name
    if text is None and thunk is not None:
        text = thunk.source_text()
    if text is None:
        text = getattr(value, "name", None) or repr(value)
    return _SPACES.sub(" ", text).strip()


def where_parts(where: Optional[str]) -> tuple[Optional[str], Optional[int]]:
    if not where:
        return None, None
    parts = where.split(":")
    if len(parts) >= 3 and parts[-1].isdigit() and parts[-2].isdigit():
        return ":".join(parts[:-2]), int(parts[-2])
    return where, None


def _is_nixpkgs_internal(value) -> bool:
    return isinstance(value, External) and value.name.startswith(("modulesPath", "<"))


def _top_lambda(nix):
    """The lambda a module file evaluates to (`{ ... }: ...`, possibly under `let`)."""
    node = query.unparen(nix.expression)
    while node is not None and node.kind() == "NODE_LET_IN":
        node = query.unparen(node.last_child())
    return node


_STATIC_NAME_KINDS = ("NODE_IDENT", "NODE_STRING")
_UNSHARED_NAMES = ("config", "home-manager")
# The home-manager settings of a host verification compares with what the plan wrote.
HM_SETTINGS = ("useGlobalPkgs", "useUserPackages", "backupFileExtension")


def _static_module(nix) -> bool:
    """See GraphBuilder._root_independent."""
    node = query.unparen(nix.expression)
    if node is None or node.kind() != "NODE_LAMBDA":
        return False
    node = query.unparen(node.last_child())
    while node is not None and node.kind() == "NODE_LET_IN":
        node = query.unparen(node.last_child())
    if node is None or node.kind() != "NODE_ATTR_SET":
        return False
    token = node.first_token()
    if token is not None and token.kind() == "TOKEN_REC":
        return False
    for child in node.children():
        if child.kind() != "NODE_ATTRPATH_VALUE":
            return False  # inherit: keep the general path
        children = child.children()
        if len(children) < 2:
            return False
        path_node, value = children[0], children[1]
        parts = path_node.children()
        if not parts:
            return False
        for part in parts:
            kind = part.kind()
            # Only a string name can hold an interpolation; an identifier is static as it is.
            if kind not in _STATIC_NAME_KINDS or (kind == "NODE_STRING" and part.find_by_kind("NODE_INTERPOL")):
                return False
        first = query.attr_name(parts[0])
        if first in _UNSHARED_NAMES:
            return False
        if first == "imports":
            if len(parts) != 1:
                return False
            value = query.unparen(value)
            if value is None or value.kind() != "NODE_LIST":
                return False
            for item in value.children():
                if item.kind() != "NODE_PATH_REL" or item.find_by_kind("NODE_INTERPOL"):
                    return False
    return True


class _StaticImports:
    """The `imports` of a root-independent module, read from its source (see _static_module)."""

    __slots__ = ("items",)

    def __init__(self, items: list[tuple[str, str]]):
        self.items = items  # (repo path, where) per element, in order


def _read_static_imports(index, path: str) -> Optional[_StaticImports]:
    texts = index.file.derived.get("static import texts")
    if texts is None:  # kept with the bytes: a moved file has the same texts at its new path
        texts = index.file.derived["static import texts"] = _static_import_texts(index)
    if texts is False:
        return None
    items = []
    directory = posixpath.dirname(path)
    for text, line, col in texts:
        target = join(directory, text)
        if target is None:
            return None  # leaves the repository: the evaluator warns about it
        items.append((target, f"{path}:{line}:{col}"))
    return _StaticImports(items)


def _static_import_texts(index):
    """(path text, line, column) of each `imports` element, or False when `imports` is
    set twice (Nix refuses the repeated attribute; the evaluator reports it)."""
    imports = [b for b in index.bindings if b.path[:1] == ("imports",)]
    if len(imports) > 1:
        return False
    if not imports:
        return []
    return [(item.text(), *index.file.line_col(item.text_range()[0]))
            for item in query.unparen(imports[0].value).children()]


@dataclass
class Integration:
    """`home-manager.*` settings found in a host's modules (HM already a NixOS module)."""

    users: dict[str, list[tuple[Thunk, str]]] = field(default_factory=dict)
    extra_special_args: dict[str, Thunk] = field(default_factory=dict)
    shared_modules: list[Thunk] = field(default_factory=list)
    nixpkgs_pkgs: list[Thunk] = field(default_factory=list)  # `nixpkgs.pkgs` values the host's modules set
    # home-manager.<name> -> each definition found (useGlobalPkgs, users, sharedModules, ...)
    settings: dict[str, list[Thunk]] = field(default_factory=dict)
    where: Optional[str] = None


class _Literal:
    """One path literal of a file as value_references sees it (root-independent parts)."""

    __slots__ = ("builder", "literal", "nix", "where", "static", "target", "_conditions")

    def __init__(self, builder, literal, nix, where):
        self.builder = builder
        self.literal = literal
        self.nix = nix
        self.where = where
        self.static = False  # a plain relative path: its target does not depend on the root
        self.target: Optional[str] = None
        self._conditions: Optional[tuple[str, ...]] = None

    def conditions(self) -> tuple[str, ...]:
        if self._conditions is None:
            self._conditions = self.builder._conditions_around(self.literal.node)
        return self._conditions


def _written_as_literal(thunk) -> bool:
    """Whether THUNK's value is a path literal of the source without `${...}`: a path the
    analysis computed may be wrong where Nix is right, so only a written one that names
    nothing proves a configuration broken."""
    node = getattr(getattr(thunk, "expr", None), "node", None)
    if node is None:
        return False
    node = query.unparen(node)
    return node.kind() == "NODE_PATH_REL" and "${" not in node.text()


def unreadable_module(error: MigrateError, root: Root, chain: tuple[str, ...]) -> str:
    """Why ROOT cannot be read as it is: a module on its import chain that Nix rejects."""
    return f"{error}; {root.label} imports it ({' -> '.join(chain)})"


class GraphBuilder:
    def __init__(self, evaluator, index_of, warn):
        self.ev = evaluator
        self.index_of = index_of  # repo path -> query.FileIndex (cached by the caller)
        self.warn = warn  # (file, line, message)
        self._literal_cache: dict[str, list[_Literal]] = {}  # repo path -> value_references candidates
        self._static_nix_refs: dict[str, tuple[list, bool]] = {}  # repo path -> (static .nix refs, any dynamic)
        self._shared_modules: dict[str, object] = {}  # repo path -> module value shared by all roots
        self._static_imports_cache: dict[str, Optional[_StaticImports]] = {}
        # Set for flakes: channels read the working tree, where an untracked file may exist.
        self.missing_breaks_homes = False

    # -- module arguments ----------------------------------------------------------------

    def module_args(self, root: Root) -> dict[str, Thunk]:
        config = Unknown("option values (config) are not evaluated by the analysis")
        args = {
            "config": config,
            "options": Unknown("options are not evaluated by the analysis"),
            "pkgs": Unknown("packages (pkgs) are not evaluated by the analysis"),
            "lib": self.ev.lib,
            "specialArgs": root.args if isinstance(root.args, AttrSet) else AttrSet({}),
        }
        if root.kind == "nixos":
            args["modulesPath"] = External("modulesPath", "modulesPath")
        else:
            args["osConfig"] = Unknown("osConfig is only known inside a NixOS host")
            args["nixosConfig"] = args["osConfig"]
        thunks = {name: as_thunk(value) for name, value in args.items()}
        if isinstance(root.args, AttrSet):
            thunks.update(root.args.attrs)
        return thunks

    def call_module(self, fn: Lambda, args: dict[str, Thunk], where: Optional[str]):
        """Call a module function the way the module system does: only the named arguments."""
        if fn.formals is None:
            return self.ev.call(fn, AttrSet(dict(args)))
        if fn.ellipsis:
            return self.ev.call(fn, AttrSet(dict(args)))
        passed = {}
        for name in fn.formals:
            if name in args:
                passed[name] = args[name]
            elif not fn.has_default(name):
                passed[name] = Thunk.ready(Unknown(f"module argument '{name}' is not passed by this root", where))
        return self.ev.call(fn, AttrSet(passed))

    # -- the walk ------------------------------------------------------------------------

    def walk(self, root: Root, entries: list[tuple[Thunk, str, tuple[str, ...]]]) -> Integration:
        """Fill root.files / root.external_modules from the module list `entries`
        (thunk, importer path, conditions). Returns the HM integration settings seen."""
        args = self.module_args(root)
        integration = Integration()
        queue: deque = deque()
        for thunk, importer, conditions in entries:
            # A channels entry is its own importer (the command line names it): not a cycle.
            made_ready = isinstance(thunk, Thunk) and thunk.expr is None
            entry = thunk.value if made_ready else None
            chain = () if isinstance(entry, NixPath) and entry.path == importer else (importer,)
            queue.append((thunk, importer, conditions, chain))
        seen_modules: set[str] = set()
        while queue:
            thunk, importer, conditions, chain = queue.popleft()
            if isinstance(thunk, _StaticImports):
                for path, where in thunk.items:
                    self._visit_file(root, path, where, importer, conditions, chain, args, queue, seen_modules,
                                     integration, literal=True)
                continue
            value = self._force(thunk)
            for item, item_conditions, item_thunk in self._expand(value, conditions, thunk):
                self._visit(root, item, item_thunk, importer, item_conditions, chain, args, queue, seen_modules, integration)
        self._value_imports(root, args)
        return integration

    def _force(self, thunk):
        return force(thunk) if isinstance(thunk, Thunk) else thunk

    def _expand(self, value, conditions, thunk):
        """A module-list item may be a Conditional, an Unknown `if` or a nested list."""
        if isinstance(value, Conditional):
            inner = value.value_thunk
            yield from self._expand(force(inner), conditions + (value.condition,), inner if inner.where() else thunk)
        elif isinstance(value, Unknown) and value.alternatives:
            condition = value.condition or "an undecided condition"
            for alternative in value.alternatives:
                yield from self._expand(force(alternative), conditions + (condition,), thunk)
        elif isinstance(value, NixList):
            for item in value.items:
                yield from self._expand(force(item), conditions, item)
        elif isinstance(value, (MkIf, MkOverride)):
            yield from self._expand(value.value, conditions, thunk)
        else:
            yield value, conditions, thunk

    def _visit(self, root, value, thunk, importer, conditions, chain, args, queue, seen_modules, integration):
        where = thunk.where() if isinstance(thunk, Thunk) else None
        path = self._module_path(value, thunk)
        if path is not None:
            self._visit_file(root, path, where, importer, conditions, chain, args, queue, seen_modules, integration,
                             literal=_written_as_literal(thunk))
            return
        if isinstance(value, (External, ExternalCall, PkgsInstance)):
            text = source_text(value, thunk)
            if _is_nixpkgs_internal(value):
                return  # `modulesPath + ...`, `<nixpkgs/...>`: part of nixpkgs itself, not an input's module
            if text not in root.external_modules:
                root.external_modules.append(text)
            return
        if isinstance(value, (AttrSet, Lambda)):
            self._module_body(root, value, importer, where, conditions, chain, args, queue, integration)
            return
        if isinstance(value, str) and value.startswith("/"):
            file, line = where_parts(where)
            self.warn(file or importer, line, f"module {value} is outside the repository; left as it is")
            return
        if isinstance(value, Unknown):
            file, line = where_parts(value.where or where)
            self.warn(file or importer, line, f"a module of {root.label} cannot be determined: {value.reason}")
            return
        file, line = where_parts(where)
        self.warn(file or importer, line, f"unexpected module value in {root.label}: {type(value).__name__}")

    def _visit_file(self, root, path, where, importer, conditions, chain, args, queue, seen_modules, integration,
                    literal: bool = False):
        """A module-list item that names the repository file (or folder) `path`; LITERAL
        when the source writes that path as it is (`./home.nix`, not computed)."""
        resolved = self.ev.resolve_import(path)
        if resolved is None:
            file, line = where_parts(where)
            if self.ev.snapshot.resolve(path) is None:  # a symlink on the way leads out, or loops
                self.warn(file or importer, line, f"imported module {path} is a symlink that leads outside the "
                          "repository (or in a loop); the analysis does not follow it")
            elif self.missing_breaks_homes and root.kind == "home" and not conditions and literal:
                # A flake sees only what git tracks, so this home does not build today; wired
                # into its host, it would stop the host from building too.
                root.unreadable.append(f"{file or importer}:{line}: imported module {path} does not exist in "
                                       f"the repository; {root.label} imports it ({' -> '.join(chain)})")
            else:
                self.warn(file or importer, line, f"imported module {path} does not exist in the repository")
            return
        self._reach(root, resolved, importer, where, "module", conditions, chain)
        if resolved in chain or conditions:
            file, line = where_parts(where)
            if resolved in chain:
                cycle = " -> ".join(chain[chain.index(resolved):] + (resolved,))
                self.warn(file or importer, line, f"import cycle: {cycle} (Nix imports each module once, so it is harmless)")
            if conditions:
                self.warn(file or importer, line, f"{root.label} imports {resolved} only if "
                          f"{' and '.join(conditions)}: the analysis cannot decide this, so the file is kept as conditional")
        if resolved in seen_modules:
            return
        seen_modules.add(resolved)
        static = self._static_imports(resolved)
        if static is not None:
            # Nothing in the module depends on the root: its imports are read once from
            # the source instead of evaluating the module again for every root.
            queue.append((static, resolved, conditions, chain + (resolved,)))
            return
        try:
            module = self.ev.eval_file(resolved)
        except MigrateError as error:
            # The root does not build as it is; the analysis goes on, and the planner
            # leaves this root alone (or stops, when nothing else can migrate).
            root.unreadable.append(unreadable_module(error, root, chain + (resolved,)))
            return
        self._module_body(root, module, resolved, where, conditions, chain + (resolved,), args, queue, integration,
                          shared_file=resolved)

    def _static_imports(self, path: str) -> Optional["_StaticImports"]:
        """The imports of a root-independent module as (repo path, where) pairs, when each
        is a plain relative path inside the repository; else None (evaluate the module)."""
        if path in self._static_imports_cache:
            return self._static_imports_cache[path]
        found = None
        if self._root_independent(path):
            found = _read_static_imports(self.index_of(path), path)
        self._static_imports_cache[path] = found
        return found

    def _module_path(self, value, thunk) -> Optional[str]:
        """The repo file a module-list item stands for, if it is one."""
        if isinstance(value, PathString):
            # `"${self}/modules/x"`: the whole text names the file, not just the path it starts with.
            value = path_string_to_path(value) or value
        if isinstance(value, NixPath):
            return value.path
        if isinstance(value, Lambda) and value.file and value.node is not None:
            nix = self.ev.files.get(value.file)
            if nix is not None and query.same_node(_top_lambda(nix), value.node):
                return value.file
        return None

    def _module_body(self, root, module, file, where, conditions, chain, args, queue, integration, shared_file=None):
        if isinstance(module, Lambda):
            if shared_file is not None and self._root_independent(shared_file):
                # Same value for every root: call it once (see _root_independent).
                shared = self._shared_modules.get(shared_file)
                if shared is None:
                    shared = self._shared_modules[shared_file] = force(self.call_module(module, args, where))
                module = shared
            else:
                module = self.call_module(module, args, where)
        module = force(module)
        while isinstance(module, (MkIf, MkOverride)):
            module = module.value
        if isinstance(module, MkMerge):
            # `{ config, lib, ... }: lib.mkMerge [ ... ]`: definitions only, no imports.
            if root.kind == "nixos":
                for item in module.items:
                    item = force(item)
                    if isinstance(item, AttrSet):
                        self._collect_integration(item, integration)
            return
        if isinstance(module, Unknown):
            line = where_parts(module.where)[1]
            self.warn(file, line, f"module cannot be evaluated: {module.reason}")
            return
        if not isinstance(module, AttrSet):
            self.warn(file, None, f"module evaluates to a {type(module).__name__}, not an attribute set")
            return
        imports = module.attrs.get("imports")
        if imports is not None:
            queue.append((imports, file, conditions, chain))
        if root.kind == "nixos":
            self._collect_integration(module, integration)

    def _root_independent(self, path: str) -> bool:
        """Whether what the walk reads from the module file `path` is the same for every root.

        True for the common `{ ... }: [let ... in] { imports = [ ./a.nix ../b ]; x.y = ...; }`:
        a function whose body is a plain (non-rec) set literal with static attribute names,
        whose `imports` is a list of plain relative paths, and that sets neither `config`
        nor `home-manager` (read for the NixOS integration). Calling such a function forces
        nothing that depends on the arguments, and the walk only forces `imports`, so the
        value from the first root serves every root (its other attributes are never read).
        """
        try:
            nix = self.ev.parse(path)  # cached by the evaluator
            known = nix.derived.get("static module")  # kept with the bytes: verification asks again
            if known is None:
                known = nix.derived["static module"] = _static_module(nix)
        except Exception:
            return False  # the general path evaluates the module and reports what is wrong
        return known

    def _reach(self, root, path, importer, where, kind, conditions, chain):
        edge = Edge(importer=importer, where=where or importer, kind=kind, conditions=tuple(conditions))
        reach = root.files.get(path)
        if reach is None:
            reach = root.files[path] = Reach(chain=chain + (path,) if chain[-1:] != (path,) else chain)
        reach.edges.append(edge)
        if not conditions:
            reach.unconditional = True

    # -- Home Manager already wired in as a NixOS module ---------------------------------

    def _collect_integration(self, module: AttrSet, integration: Integration) -> None:
        for scope in (module, self._config_of(module)):
            nixpkgs = self._attrs(scope, "nixpkgs") if scope is not None else None
            if nixpkgs is not None and "pkgs" in nixpkgs.attrs:
                integration.nixpkgs_pkgs.append(nixpkgs.attrs["pkgs"])
            hm = self._attrs(scope, "home-manager") if scope is not None else None
            if hm is None:
                continue
            users = self._attrs(hm, "users")
            if users is not None:
                for name, thunk in users.attrs.items():
                    integration.users.setdefault(name, []).append((thunk, thunk.where() or ""))
            extra = self._attrs(hm, "extraSpecialArgs")
            if extra is not None:
                for name, thunk in extra.attrs.items():
                    # Several modules setting one name (types.attrs: merged with `//`): a value
                    # the analysis cannot read does not hide one it can.
                    known = integration.extra_special_args.get(name)
                    if known is None or not isinstance(force(thunk), Unknown) or isinstance(force(known), Unknown):
                        integration.extra_special_args[name] = thunk
            shared = hm.attrs.get("sharedModules")
            if shared is not None:
                integration.shared_modules.append(shared)
            for name, thunk in hm.attrs.items():  # users and sharedModules are read above too
                integration.settings.setdefault(name, []).append(thunk)

    def _config_of(self, module: AttrSet):
        return self._attrs(module, "config")

    def _attrs(self, value, name) -> Optional[AttrSet]:
        thunk = value.attrs.get(name) if isinstance(value, AttrSet) else None
        if thunk is None:
            return None
        found = force(thunk)
        while isinstance(found, (MkIf, MkOverride)):
            found = found.value
        if isinstance(found, MkMerge):
            merged: dict[str, Thunk] = {}
            for item in found.items:
                item = force(item)
                if isinstance(item, AttrSet):
                    merged.update(item.attrs)
            return AttrSet(merged)
        return found if isinstance(found, AttrSet) else None

    # -- value imports ----------------------------------------------------------------------

    def _value_imports(self, root: Root, args: dict[str, Thunk]) -> None:
        """Files that reached files read as values (import, callPackage, readFile of .nix)."""
        pending = deque(sorted(root.files))
        scanned: set[str] = set()
        while pending:
            path = pending.popleft()
            if path in scanned or not path.endswith(".nix"):
                continue
            scanned.add(path)
            for target, where, conditions in self._nix_value_references(path, args):
                if self.ev.parse_error(target) is not None:
                    # Named, not read as Nix (an `import` of it would have stopped the
                    # run): carried as it is, like any other file nothing imports.
                    continue
                reach_before = target in root.files
                chain = root.files[path].chain if path in root.files else (path,)
                self._reach(root, target, path, where, "value", conditions, chain)
                if not reach_before:
                    pending.append(target)

    def _nix_value_references(self, path: str, args: dict[str, Thunk]):
        """value_references limited to .nix targets, with the static ones listed once per
        file: every root that reaches a file asks, and most literals are plain paths."""
        cached = self._static_nix_refs.get(path)
        if cached is None:
            literals = self._file_literals(path) or []
            static = [(i.target, i.where, i.conditions()) for i in literals
                      if i.static and i.target is not None and i.target.endswith(".nix")]
            cached = self._static_nix_refs[path] = (static, any(not i.static for i in literals))
        static, has_dynamic = cached
        if not has_dynamic:
            return static
        return [ref for ref in self.value_references(path, args) if ref[0].endswith(".nix")]

    def value_references(self, path: str, args: Optional[dict[str, Thunk]]):
        """(target repo path, where, conditions) for every path literal of `path`
        outside module positions that names a file of the repository."""
        literals = self._file_literals(path)
        if literals is None:
            return []
        found = []
        for item in literals:
            if item.static:
                if item.target is not None:
                    found.append((item.target, item.where, item.conditions()))
                continue
            if args is None:
                continue
            value = self.ev.eval_expr(item.literal.node, dict(args), item.nix)
            value = force(value)
            if not isinstance(value, NixPath):
                continue
            resolved = self._existing_file(value.path)
            if resolved is None:
                continue
            found.append((resolved, item.where, item.conditions()))
        return found

    def _file_literals(self, path: str) -> Optional[list["_Literal"]]:
        """The path literals of `path` that value_references looks at, once per file:
        everything that does not depend on a root's arguments is computed here and
        shared by all roots (a file is scanned by every root that reaches it)."""
        literals = self._literal_cache.get(path)
        if literals is not None:
            return literals
        try:
            index = self.index_of(path)
        except Exception:  # unreadable files are reported where they are imported
            return None
        nix = index.file
        candidates = nix.derived.get("value literal candidates")
        if candidates is None:  # kept with the bytes, like the index itself
            candidates = nix.derived["value literal candidates"] = self._value_literal_candidates(index)
        directory = posixpath.dirname(path)
        literals = []
        for literal, line in candidates:
            item = _Literal(self, literal, nix, f"{path}:{line}")
            if literal.kind == "relative" and not literal.interpolated:
                item.static = True
                target = join(directory, literal.text)
                item.target = self._existing_file(target) if target is not None else None
            literals.append(item)
        self._literal_cache[path] = literals
        return literals

    def _value_literal_candidates(self, index) -> list[tuple[object, int]]:
        """(literal, line) of the relative and concatenated path literals outside module positions."""
        excluded = self._module_position_ranges(index)
        found = []
        for literal in index.paths:
            if literal.kind not in ("relative", "concat"):
                continue
            if any(start <= literal.start and literal.end <= end for start, end in excluded):
                continue
            found.append((literal, index.file.line_col(literal.start)[0]))
        return found

    def _existing_file(self, target: str) -> Optional[str]:
        resolved = self.ev.resolve_import(target) if self.ev.snapshot.is_dir(target) else target
        if resolved is None or not self.ev.snapshot.is_file(resolved):
            return None
        return resolved

    def _module_position_ranges(self, index) -> list[tuple[int, int]]:
        body = index.body
        if body is None or body.kind() != "NODE_ATTR_SET":
            return []
        # The lookup opens only the sets on the way to a module position, where
        # flattening the whole module would read every binding of every nested set.
        return [binding.value.text_range() for _path, binding in query.lookup_any(body, _MODULE_POSITION_PREFIXES, index.file)]

    def _conditions_around(self, node) -> tuple[str, ...]:
        conditions = []
        child = node
        parent = node.parent()
        while parent is not None:
            kind = parent.kind()
            if kind == "NODE_IF_ELSE":
                children = parent.children()
                if not query.same_node(children[0], child):
                    conditions.append(_SPACES.sub(" ", children[0].text()))
            elif kind == "NODE_APPLY":
                function, arguments = query.apply_spine(parent)
                name = function.text().rsplit(".", 1)[-1] if function.kind() in ("NODE_IDENT", "NODE_SELECT") else ""
                if name in _CONDITIONAL_FUNCTIONS and len(arguments) == 2 and query.same_node(arguments[1], child):
                    conditions.append(_SPACES.sub(" ", arguments[0].text()))
            child = parent
            parent = parent.parent()
        return tuple(reversed(conditions))
