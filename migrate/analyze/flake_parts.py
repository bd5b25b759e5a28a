"""flake-parts: `mkFlake { inherit inputs; } module` evaluated as what it is, a module
evaluation whose `flake` option is the flake's outputs.

The modules are collected the way the module system does (`imports` followed, files
imported once, a module function called with the module arguments it names), and the
definitions of every option are merged lazily: one definition stays the thunk the user
wrote (so a host keeps its file:line), several are merged as the option types flake-parts
uses would merge them (sets attribute by attribute, lists concatenated, modules gathered
as `imports`), with `mkIf`, `mkMerge` and priorities (`mkDefault`, `mkForce`) applied.

`perSystem` is evaluated per system the same way, on demand: its `packages`,
`legacyPackages`, ... become `<attr>.<system>` outputs, and `withSystem` / `getSystem`
give its arguments and its config. Modules from inputs (`inputs.x.flakeModule`) cannot be
read: what they would define is unknown, and they are named where that matters.
"""

from __future__ import annotations

from collections import deque
from typing import Optional

from migrate.analyze.graph import source_text
from migrate.analyze.input_functions import DEFAULT_SYSTEMS
from migrate.analyze.operations import MISSING, path_string_to_path
from migrate.analyze.values import (
    AttrSet, Builtin, Conditional, External, ExternalCall, Lambda, LazyCall, MkIf, MkMerge, MkOverride,
    NixList, NixPath, PathString, PkgsInstance, Thunk, Unknown, force, unwrap,
)
from migrate.errors import MigrateError

# Module attributes that are not option definitions.
_NOT_DEFINITIONS = frozenset(("imports", "_file", "key", "disabledModules", "_class", "options", "config"))
# perSystem options flake-parts turns into `<attr>.<system>` outputs.
TRANSPOSED = ("packages", "legacyPackages", "devShells", "apps", "checks", "formatter")
_DEFAULT_PRIORITY = 100


def mk_flake(evaluator, args: Thunk, module: Thunk, site, lib_name: str = "inputs.flake-parts.lib"):
    flake = FlakeParts(evaluator, args, module, site, lib_name)
    evaluator.flake_parts.append(flake)
    return flake.outputs()


class FlakeParts:
    """One `mkFlake` call: its top-level module evaluation and perSystem evaluations."""

    def __init__(self, evaluator, args: Thunk, module: Thunk, site, lib_name: str):
        self.ev = evaluator
        self.site = site
        self.where = site.where() if site is not None else None
        self.file = site.src.path if site is not None and hasattr(site, "src") else "flake.nix"
        self.args = args
        self.inputs = LazyCall(lambda: _select(evaluator, args, "inputs"))
        self.outputs_thunk = LazyCall(self._outputs)
        self_thunk = LazyCall(self._self)
        base = {
            "lib": Thunk.ready(evaluator.lib),
            "options": Thunk.ready(Unknown("flake-parts options are not evaluated by the analysis")),
            "inputs": self.inputs,
            "self": self_thunk,
            "flake-parts-lib": Thunk.ready(External(lib_name)),
            "moduleLocation": Thunk.ready(self.where or self.file),
        }
        provided = {
            "withSystem": Thunk.ready(Builtin("withSystem", 2, lambda ev, s, system, fn: self._with_system(system, fn, s))),
            "getSystem": Thunk.ready(Builtin("getSystem", 1, lambda ev, s, system: self._get_system(system, s))),
            "moduleWithSystem": Thunk.ready(Unknown("moduleWithSystem is not modelled by the analysis")),
        }
        self.top = ModuleSet(evaluator, [(module, self.file)], base, provided, "flake-parts module",
                             special_args=LazyCall(lambda: _select(evaluator, args, "specialArgs", AttrSet({}))))
        self._per_system: dict[str, ModuleSet] = {}

    # -- outputs ---------------------------------------------------------------------------

    def outputs(self):
        return self.outputs_thunk.force()

    def _outputs(self):
        config = self.top.config()
        flake = config.attrs.get("flake")
        value = unwrap(flake.force()) if flake is not None else AttrSet({})
        if isinstance(value, Unknown):
            return value
        attrs = dict(value.attrs) if isinstance(value, AttrSet) else {}
        return FlakePartsOutputs(attrs, self)

    def _self(self):
        inputs = unwrap(self.inputs.force())
        if isinstance(inputs, AttrSet) and "self" in inputs.attrs:
            return inputs.attrs["self"].force()
        return self.outputs()

    def external_modules(self) -> list[tuple[str, Optional[str]]]:
        """(text, where) of the modules from inputs, which the analysis cannot read."""
        self.top.modules()
        return list(self.top.externals)

    def module_files(self) -> set[str]:
        """Repository files evaluated as flake-parts modules."""
        return {m.file for m in self.top.modules() if m.file}

    # -- perSystem ---------------------------------------------------------------------------

    def systems(self) -> list[str]:
        value = unwrap(force(self.top.config().attrs.get("systems") or Thunk.ready(None)))
        if isinstance(value, NixList):
            names = [unwrap(item) for item in value.forced()]
            if names and all(isinstance(n, str) for n in names):
                return names
        return list(DEFAULT_SYSTEMS)

    def per_system(self, system: str) -> "ModuleSet":
        found = self._per_system.get(system)
        if found is not None:
            return found
        definitions = self.top.config().attrs.get("perSystem")
        roots = [(definitions, self.file)] if definitions is not None else []
        base = {
            "lib": Thunk.ready(self.ev.lib),
            "options": Thunk.ready(Unknown("perSystem options are not evaluated by the analysis")),
            "system": Thunk.ready(system),
            "inputs'": LazyCall(lambda: _PerSystemInputs(self.inputs, system)),
            "self'": LazyCall(lambda: _PerSystemOutputs(self.outputs_thunk, system)),
            "inputs": self.inputs,
            "self": self.top.base["self"],
        }
        provided = {"pkgs": LazyCall(lambda: self._default_pkgs(system))}
        found = self._per_system[system] = ModuleSet(self.ev, roots, base, provided, f"perSystem module ({system})")
        return found

    def _default_pkgs(self, system: str):
        inputs = unwrap(self.inputs.force())
        nixpkgs = inputs.attrs.get("nixpkgs") if isinstance(inputs, AttrSet) else None
        if nixpkgs is None:
            return Unknown("perSystem pkgs: the flake has no nixpkgs input")
        source = unwrap(nixpkgs.force())
        if not isinstance(source, External):
            return Unknown("perSystem pkgs from a nixpkgs the analysis cannot read")
        return PkgsInstance(source, AttrSet({"system": Thunk.ready(system)}), self.where)

    def transposed(self, name: str):
        """`<name>.<system>` from perSystem, or MISSING when no perSystem module defines it."""
        if name not in TRANSPOSED or "perSystem" not in self.top.config().attrs:
            return MISSING
        per_system = {}
        for system in self.systems():
            config = self.per_system(system).config()
            if name in config.attrs:
                per_system[system] = config.attrs[name]
        if not per_system:
            return MISSING
        return Thunk.ready(AttrSet(per_system))

    @staticmethod
    def _system_name(thunk) -> Optional[str]:
        system = unwrap(force(thunk))
        return system if isinstance(system, str) else None

    def _module_args_of(self, system: str) -> AttrSet:
        module_set = self.per_system(system)
        names = dict(module_set.base)
        names["config"] = LazyCall(module_set.config)
        for name in ("pkgs",):
            names[name] = module_set.arg(name)
        return _ArgsSet(names, module_set)

    def _with_system(self, system, fn, site):
        name = self._system_name(system)
        if name is None:
            return Unknown("withSystem for a system the analysis cannot read", site.where() if site else None)
        from migrate.analyze.primops import apply
        return apply(self.ev, fn, self._module_args_of(name), site=site)

    def _get_system(self, system, site):
        name = self._system_name(system)
        if name is None:
            return Unknown("getSystem for a system the analysis cannot read", site.where() if site else None)
        return self.per_system(name).config()


class FlakePartsOutputs(AttrSet):
    """`config.flake` of a flake-parts evaluation, plus the perSystem outputs on demand."""

    __slots__ = ("flake",)

    def __init__(self, attrs: dict, flake: FlakeParts):
        super().__init__(attrs)
        self.flake = flake

    def missing(self, name: str):
        return self.flake.transposed(name)


class _ArgsSet(AttrSet):
    """Module arguments as a set (`withSystem`'s argument): other names from `_module.args`."""

    __slots__ = ("module_set",)

    def __init__(self, attrs: dict, module_set: "ModuleSet"):
        super().__init__(attrs)
        self.module_set = module_set

    def missing(self, name: str):
        return self.module_set.arg(name)


class _PerSystemInputs(AttrSet):
    """`inputs'`: each input with its per-system attributes selected (`inputs'.x.packages.foo`
    is `inputs.x.packages.<system>.foo`)."""

    __slots__ = ()

    def __init__(self, inputs: Thunk, system: str):
        value = unwrap(inputs.force())
        names = value.attrs if isinstance(value, AttrSet) else {}
        super().__init__({name: Thunk.ready(_PerSystemInput(f"inputs.{name}", system))
                          for name in names if name != "self"})


class _PerSystemInput(AttrSet):
    __slots__ = ("name", "system")

    def __init__(self, name: str, system: str):
        super().__init__({})
        self.name = name
        self.system = system

    def missing(self, attr: str):
        return Thunk.ready(External(f"{self.name}.{attr}.{self.system}"))


class _PerSystemOutputs(AttrSet):
    """`self'`: this flake's outputs for one system."""

    __slots__ = ("outputs", "system")

    def __init__(self, outputs: Thunk, system: str):
        super().__init__({})
        self.outputs = outputs
        self.system = system

    def missing(self, attr: str):
        from migrate.analyze import operations
        per_attr = operations.lookup(self.outputs.force(), attr)
        if per_attr is MISSING:
            return MISSING
        return LazyCall(lambda: _select_value(per_attr, self.system))


# -- one module evaluation ---------------------------------------------------------------------


class _Module:
    __slots__ = ("definitions", "file", "where")

    def __init__(self, definitions: Optional[Thunk], file: Optional[str], where: Optional[str]):
        self.definitions = definitions
        self.file = file
        self.where = where


class ModuleSet:
    """The modules reachable from ROOTS and their merged config. ``base`` are the
    arguments every module gets (specialArgs); ``provided`` those `_module.args` has
    unless the modules define them."""

    def __init__(self, evaluator, roots, base: dict, provided: dict, label: str, special_args=None):
        self.ev = evaluator
        self.roots = roots
        self.base = dict(base)
        self.base["config"] = LazyCall(self.config)
        self.provided = provided
        self.label = label
        self.special_args = special_args
        self.externals: list[tuple[str, Optional[str]]] = []
        self._modules: Optional[list[_Module]] = None
        self._config: Optional[MergedSet] = None
        self._args: dict[str, Thunk] = {}

    # -- arguments -----------------------------------------------------------------------------

    def arg(self, name: str) -> Thunk:
        """The module argument NAME: specialArgs, else `_module.args`, else what flake-parts provides."""
        found = self.base.get(name)
        if found is not None:
            return found
        found = self._args.get(name)
        if found is None:
            found = self._args[name] = LazyCall(lambda: self._module_arg(name))
        return found

    def _special(self, name: str) -> Optional[Thunk]:
        if self.special_args is None:
            return None
        special = unwrap(self.special_args.force())
        return special.attrs.get(name) if isinstance(special, AttrSet) else None

    def _module_arg(self, name: str):
        special = self._special(name)
        if special is not None:
            return special.force()
        if name in self.provided and name not in ("pkgs",):
            return self.provided[name].force()
        config = self.config()
        args = _select_value(_select_value(config, "_module"), "args")
        if isinstance(args, AttrSet) and name in args.attrs:
            return args.attrs[name].force()
        if name in self.provided:
            return self.provided[name].force()
        return Unknown(f"module argument '{name}' is not defined for this {self.label}")

    def _call(self, fn: Lambda, where: Optional[str]):
        if fn.formals is None:
            return self.ev.call(fn, AttrSet(dict(self.base)))
        passed = {}
        for name in fn.formals:
            if name in self.base or not fn.has_default(name):
                passed[name] = self.arg(name)
        if fn.at_name is not None or fn.ellipsis:
            for name, thunk in self.base.items():
                passed.setdefault(name, thunk)
        return self.ev.call(fn, AttrSet(passed))

    # -- the modules -------------------------------------------------------------------------

    def modules(self) -> list[_Module]:
        if self._modules is None:
            self._modules = []
            self._collect()
        return self._modules

    def _collect(self) -> None:
        queue = deque(self.roots)
        seen_files: set[str] = set()
        while queue:
            thunk, importer = queue.popleft()
            where = thunk.where() if isinstance(thunk, Thunk) else None
            value = _plain_module(force(thunk))
            file = None
            if isinstance(value, PathString):
                value = path_string_to_path(value) or value
            if isinstance(value, NixPath):
                resolved = self.ev.resolve_import(value.path)
                if resolved is None:
                    self.ev.warn(where, f"imported {self.label} {value.path} does not exist in the repository")
                    continue
                if resolved in seen_files:
                    continue  # imported once, as the module system does for a path
                seen_files.add(resolved)
                self.ev.record_read(importer, resolved, "import")
                try:
                    value = _plain_module(self.ev.eval_file(resolved))
                except MigrateError as error:
                    self.ev.warn(where, f"{self.label} cannot be read: {error}")
                    continue
                file = resolved
            if isinstance(value, Lambda):
                file = file or value.file
                value = _plain_module(force(self.ev._guard(lambda v=value: self._call(v, where))))
            self._take(value, thunk, file or importer, where, queue)

    def _take(self, value, thunk, file, where, queue) -> None:
        if isinstance(value, AttrSet):
            imports = value.attrs.get("imports")
            if imports is not None:
                items = unwrap(imports.force())
                if isinstance(items, NixList):
                    queue.extend((item, file) for item in items.items)
                elif isinstance(items, Unknown):
                    self.ev.warn(items.where or where, f"the imports of a {self.label} cannot be listed: {items.reason}")
            if "config" in value.attrs or "options" in value.attrs:
                definitions = value.attrs.get("config")
            else:
                definitions = Thunk.ready(AttrSet({n: t for n, t in value.attrs.items() if n not in _NOT_DEFINITIONS}))
            self._modules.append(_Module(definitions, file, where))
        elif isinstance(value, (External, ExternalCall, PkgsInstance)):
            self.externals.append((source_text(value, thunk if isinstance(thunk, Thunk) else None), where))
        elif isinstance(value, Unknown):
            file_where = value.where or where
            self.ev.warn(file_where, f"a {self.label} cannot be evaluated: {value.reason}")
            self._modules.append(_Module(Thunk.ready(value), file, where))
        elif value is not None:
            self.ev.warn(where, f"a {self.label} is a {type(value).__name__}, not a module")

    # -- the merged config ---------------------------------------------------------------------

    def config(self) -> "MergedSet":
        if self._config is None:
            definitions = [m.definitions for m in self.modules() if m.definitions is not None]
            self._config = MergedSet(definitions)
        return self._config


def _plain_module(value):
    return unwrap(value)


def _select(evaluator, thunk, name: str, default=None):
    value = unwrap(force(thunk))
    if isinstance(value, AttrSet) and name in value.attrs:
        return value.attrs[name].force()
    if default is not None:
        return default
    return Unknown(f"mkFlake's argument has no '{name}'")


def _select_value(value, name: str):
    from migrate.analyze import operations
    found = operations.lookup(unwrap(force(value)), name) if isinstance(unwrap(force(value)), (AttrSet, External,
                                                                                             Unknown)) else MISSING
    if found is MISSING:
        return Unknown(f"attribute '{name}' missing")
    return force(found)


# -- merging definitions ------------------------------------------------------------------------


class MergedSet(AttrSet):
    """The merge of several definitions of a set-valued option, attribute by attribute.
    A name defined once keeps the user's own thunk; a name defined several times is merged
    on demand. ``unreadable`` holds definitions that are not sets (Unknown ones among them):
    names they might define are not in ``attrs``."""

    __slots__ = ("unreadable", "origins")

    def __init__(self, definitions: list):
        per_name: dict[str, list[Thunk]] = {}
        self.unreadable: list = []
        self.origins: dict[str, Thunk] = {}  # name -> the first definition (a set) that holds it
        for definition in definitions:
            for thunk, priority, condition in _flatten(definition):
                value = force(thunk)
                if isinstance(value, AttrSet):
                    for name, child in value.attrs.items():
                        per_name.setdefault(name, []).append(_rewrap(child, priority, condition))
                        self.origins.setdefault(name, thunk)
                elif value is not None:
                    self.unreadable.append(value)
        attrs = {}
        for name, thunks in per_name.items():
            attrs[name] = thunks[0] if len(thunks) == 1 else LazyCall(_merge_values, thunks)
        super().__init__(attrs)


def _rewrap(thunk: Thunk, priority, condition) -> Thunk:
    if priority != _DEFAULT_PRIORITY:
        thunk = Thunk.ready(MkOverride("mkOverride", priority, thunk))
    if condition is not None:
        thunk = Thunk.ready(Conditional(condition[0], condition[1], thunk))
    return thunk


def _flatten(thunk, priority=_DEFAULT_PRIORITY, condition=None):
    """(thunk of a plain value, priority, condition) for each definition inside the
    `mkMerge` / `mkIf` / `mkOverride` wrappers of THUNK."""
    value = force(thunk)
    if isinstance(value, MkMerge):
        contents = value.contents
        items = contents.items if isinstance(contents, NixList) else [Thunk.ready(contents)]
        for item in items:
            yield from _flatten(item, priority, condition)
    elif isinstance(value, MkIf):
        decided = unwrap(value.condition)
        if decided is False:
            return
        if decided is not True and condition is None:
            condition = (value.condition_text or "an undecided condition", value.where)
        yield from _flatten(value._value, priority, condition)
    elif isinstance(value, MkOverride):
        number = value.priority if isinstance(value.priority, int) else priority
        yield from _flatten(value._value, min(priority, number) if priority != _DEFAULT_PRIORITY else number,
                            condition)
    elif isinstance(value, Conditional):
        yield from _flatten(value.value_thunk, priority, condition or (value.condition, value.where))
    else:
        yield (thunk if isinstance(thunk, Thunk) else Thunk.ready(value)), priority, condition


def _merge_values(thunks: list[Thunk]):
    entries = [entry for thunk in thunks for entry in _flatten(thunk)]
    if not entries:
        return Unknown("every definition is disabled by mkIf")
    best = min(priority for _thunk, priority, _condition in entries)
    chosen = [thunk for thunk, priority, _condition in entries if priority == best]
    values = [force(thunk) for thunk in chosen]
    if len(values) == 1:
        return values[0]
    if all(isinstance(v, AttrSet) for v in values):
        return MergedSet(chosen)
    if all(isinstance(v, NixList) for v in values):
        return NixList([item for v in values for item in v.items])
    if all(isinstance(v, (AttrSet, Lambda, NixPath, PathString)) for v in values):
        # Module-typed options (deferredModule: flake.modules.nixos.<name>, perSystem):
        # every definition is a module of the result.
        return AttrSet({"imports": Thunk.ready(NixList(list(chosen)))})
    known = [v for v in values if not isinstance(v, Unknown)]
    return known[0] if known else values[0]
