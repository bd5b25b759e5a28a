"""Find the roots: NixOS hosts and Home Manager configurations.

A flake is evaluated (its `outputs` called with the inputs as symbolic
values), so roots built through `let`, helper files, `lib.genAttrs` or
`builtins.readDir` scans are found the way Nix would find them. A repository
without a flake is read as a channels setup: `configuration.nix` and `home.nix`, at the
top or one per host folder.
"""

from __future__ import annotations

from typing import Optional

from migrate.analyze import snowfall
from migrate.analyze.channel_entries import folder_name, unnamed_entries
from migrate.analyze.flakes_in_folders import declared_inputs, discover_in_folders
from migrate.analyze.graph import where_parts
from migrate.analyze.model import Root
from migrate.analyze.output_sets import configuration_sets
from migrate.analyze.values import AttrSet, NixList, NixPath, SystemCall, Thunk, Unknown, force, type_name, unwrap
from migrate.errors import MigrateError

CHANNEL_SYSTEM_FILES = ("configuration.nix", "nixos/configuration.nix", "etc/nixos/configuration.nix")
CHANNEL_HOME_FILES = (
    "home.nix", "home-manager/home.nix", ".config/home-manager/home.nix",
    "config/home-manager/home.nix", ".config/nixpkgs/home.nix", "nixpkgs/home.nix",
)

Entry = tuple[Thunk, str, tuple[str, ...]]  # module thunk, importer path, conditions


class Discovery:
    def __init__(self, layout: str):
        self.layout = layout
        self.hosts: dict[str, Root] = {}
        self.homes: dict[str, Root] = {}
        self.entries: dict[int, list[Entry]] = {}  # id(root) -> module entries
        self.darwin: list[str] = []
        self.darwin_flakes: dict[str, str] = {}  # darwin configuration -> its flake, when not flake.nix
        self.notes: list[str] = []  # for the report (what snowfall-lib already wires)
        self.flake_inputs: dict[str, dict[str, str]] = {}  # flake file -> input name -> how it is declared
        self.flake_outputs = None  # flake.nix's outputs (AttrSet)

    def add(self, root: Root, entries: list[Entry]) -> None:
        (self.hosts if root.kind == "nixos" else self.homes)[root.name] = root
        self.entries[id(root)] = entries


def discover(evaluator, snapshot, warn) -> Discovery:
    _readable_entry(snapshot, "flake.nix")
    if snapshot.is_file("flake.nix"):
        found = _discover_flake(evaluator, warn)
        found.flake_inputs["flake.nix"] = declared_inputs(evaluator, "flake.nix")
        return found
    in_folders = discover_in_folders(evaluator, snapshot, warn, _discover_flake)
    if in_folders is not None:
        return in_folders
    for path in CHANNEL_SYSTEM_FILES + CHANNEL_HOME_FILES:
        _readable_entry(snapshot, path)
    system = next((p for p in CHANNEL_SYSTEM_FILES if snapshot.is_file(p)), None)
    home = next((p for p in CHANNEL_HOME_FILES if snapshot.is_file(p)), None)
    # Per-host folders (hosts/laptop/configuration.nix) only where the top has no entry:
    # beside one, another configuration.nix is more likely a copy than a second machine.
    systems = [system] if system is not None else unnamed_entries(evaluator, snapshot, "configuration.nix")
    homes = [home] if home is not None else unnamed_entries(evaluator, snapshot, "home.nix")
    if not systems and not homes:
        raise MigrateError(
            f"{snapshot.label}: unknown layout: found no flake.nix, and no configuration.nix or home.nix "
            "at the top of the repository or in a per-host folder (run migrate on the directory that holds them)"
        )
    return _discover_channels(systems, homes)


def _readable_entry(snapshot, path: str) -> None:
    # Else an entry file behind a looping or outgoing symlink just looks absent, and the
    # run goes on to guess another layout (or stops with a message that misleads).
    if snapshot.resolve(path) is None:
        raise MigrateError(f"{path}: a symlink that loops or leads out of the repository; hm-migrate reads only "
                           "what the repository holds (make it a file inside, and run again)")


def _module_entries(evaluator, modules, importer: str) -> list[Entry]:
    modules_value = force(modules) if modules is not None else None
    if modules_value is None:
        return []
    if isinstance(modules_value, NixList):
        return [(item, importer, ()) for item in modules_value.items]
    return [(Thunk.ready(modules_value), importer, ())]


def _arg(evaluator, args, name):
    return evaluator.select(args, name, default=None) if isinstance(args, AttrSet) else None


def _importer_of(call: SystemCall, fallback: str) -> str:
    file, _line = where_parts(call.where)
    return file or fallback


def _discover_flake(evaluator, warn, path: str = "flake.nix", found: Optional[Discovery] = None) -> Discovery:
    snowfall.prepare(evaluator, path)
    outputs = evaluator.flake_outputs(path)
    if isinstance(outputs, Unknown):
        raise MigrateError(f"{path}: cannot evaluate the flake's outputs: {_unknown_text(outputs)}")
    if not isinstance(outputs, AttrSet):
        raise MigrateError(f"{path}: `outputs` does not evaluate to an attribute set (it is {_value_text(outputs)})")
    found = found if found is not None else Discovery("flake-standalone")
    if path == "flake.nix":
        found.flake_outputs = outputs
    not_understood: list[str] = []
    found.notes.extend(n for n in evaluator.notes if n not in found.notes)
    seen_sets = set()
    snowfall_sets = [(name, "nixos") for name in snowfall.virtual_outputs(evaluator, outputs)]
    for found_set in configuration_sets(evaluator, outputs, snowfall_sets):
        attribute, kind = found_set.attribute, found_set.kind
        seen_sets.add(attribute)
        configurations = unwrap(found_set.thunk.force())
        set_where = found_set.thunk.where()
        if not isinstance(configurations, AttrSet):
            file, line = where_parts(getattr(configurations, "where", None) or set_where)
            reason = f": {configurations.reason}" if isinstance(configurations, Unknown) else ""
            warn(file or path, line, f"`{found_set.label}` cannot be listed by the analysis{reason}")
            continue
        for name in configurations.names():
            if name in (found.hosts if kind == "nixos" else found.homes) or (kind == "darwin" and name in found.darwin):
                continue  # the same name for another system (eachDefaultSystem, perSystem): the first is kept
            thunk = configurations.attrs[name]
            if kind == "darwin":
                found.darwin.append(name)
                continue
            call = unwrap(thunk.force())
            definition = thunk.where() or set_where or path
            if not isinstance(call, SystemCall) or call.kind != kind:
                file, line = where_parts(definition)
                reason = call.reason if isinstance(call, Unknown) else _value_text(call)
                warn(file, line, f"{found_set.label}.{name} is not understood ({reason}); it is left out of the analysis")
                not_understood.append(f"{found_set.label}.{name} ({file or path}{f':{line}' if line else ''}: {reason})")
                continue
            root, entries = _root_from_call(evaluator, kind, name, call, definition, path)
            # Several flake modules defining one set: the definition that holds this name.
            origin = getattr(configurations, "origins", {}).get(name)
            root.set_where = (origin.where() if origin is not None else None) or set_where
            found.add(root, entries)
    _note_external_flake_modules(evaluator, seen_sets, warn)
    if not found.hosts and not found.homes and not_understood:
        more = f" (and {len(not_understood) - 1} more)" if len(not_understood) > 1 else ""
        raise MigrateError(f"{path}: no configuration could be understood: {not_understood[0]}{more}")
    if not found.hosts and not found.homes:
        raise MigrateError(f"{path}: defines neither nixosConfigurations nor homeConfigurations"
                           + _external_hint(evaluator))
    return found


def _unknown_text(value: Unknown) -> str:
    file, line = where_parts(value.where)
    return f"{value.reason} ({file}:{line})" if file and line else value.reason


def _value_text(value) -> str:
    if isinstance(value, Unknown):
        return f"unknown: {_unknown_text(value)}"
    where = getattr(value, "where", None)
    name = getattr(value, "name", None) or getattr(getattr(value, "fn", None), "name", None)
    text = f"the result of {name}" if name else f"a {type_name(value)}"
    return f"{text}, {where}" if isinstance(where, str) and where else text


def _note_external_flake_modules(evaluator, seen_sets: set, warn) -> None:
    """flake-parts modules from inputs may define configurations the analysis cannot see."""
    for parts in evaluator.flake_parts:
        externals = parts.external_modules()
        if not externals:
            continue
        for attribute in ("nixosConfigurations", "homeConfigurations"):
            if attribute in seen_sets:
                continue
            _text, where = externals[0]
            file, line = where_parts(where)
            warn(file or parts.file, line, f"no flake-parts module of the repository defines {attribute}; "
                 f"{_modules_text(externals)} may, but the analysis cannot read what comes from an input")


def _modules_text(externals: list) -> str:
    names = [text for text, _where in externals]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"flake module {shown}" if len(names) == 1 else f"flake modules {shown}"


def _external_hint(evaluator) -> str:
    for parts in evaluator.flake_parts:
        externals = parts.external_modules()
        if externals:
            _text, where = externals[0]
            file, line = where_parts(where)
            place = f"{file}:{line}" if file and line else (file or parts.file)
            return (f"; {_modules_text(externals)} ({place}) may define them, but the analysis cannot read "
                    "what comes from an input")
    return ""


def _root_from_call(evaluator, kind: str, name: str, call: SystemCall, definition: str, flake: str = "flake.nix"):
    args = call.args
    importer = _importer_of(call, flake)
    root = Root(kind=kind, name=name, where=definition, call=call)
    entries = _module_entries(evaluator, args.attrs.get("modules") if isinstance(args, AttrSet) else None, importer)
    if kind == "nixos":
        special = _arg(evaluator, args, "specialArgs")
        root.args = special if isinstance(special, AttrSet) else AttrSet({})
        system = _arg(evaluator, args, "system")
        root.system = system if isinstance(system, str) else None
    else:
        extra = _arg(evaluator, args, "extraSpecialArgs")
        root.args = extra if isinstance(extra, AttrSet) else AttrSet({})
        # Home Manager before 22.11 took one `configuration` module.
        legacy = args.attrs.get("configuration") if isinstance(args, AttrSet) else None
        if legacy is not None:
            entries.append((legacy, importer, ()))
        username = _arg(evaluator, args, "username")
        if isinstance(username, str):
            root.user = username
    return root, entries


def _discover_channels(system_files: list[str], home_files: list[str]) -> Discovery:
    """One root per entry file. Until their configurations name them (networking.hostName,
    home.username), a single host is `nixos`, a single home `home`; among several, each
    is named after its folder (a host) or its path (a home)."""
    found = Discovery("channels")
    for system_file in system_files:
        name = "nixos" if len(system_files) == 1 else _unique(folder_name(system_file), found.hosts, system_file)
        host = Root(kind="nixos", name=name, where=f"{system_file}:1", args=AttrSet({}))
        found.add(host, [(Thunk.ready(NixPath(system_file)), system_file, ())])
    for home_file in home_files:
        home = Root(kind="home", name="home" if len(home_files) == 1 else home_file, where=f"{home_file}:1",
                    args=AttrSet({}))
        found.add(home, [(Thunk.ready(NixPath(home_file)), home_file, ())])
    return found


def _unique(name: str, taken: dict, path: str) -> str:
    return name if name not in taken else path

