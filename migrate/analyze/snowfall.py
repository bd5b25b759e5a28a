"""snowfall-lib flakes: `inputs.snowfall-lib.mkFlake { ... }`, or `lib.mkFlake { ... }`
with `lib = inputs.snowfall-lib.mkLib { inherit inputs; src = ./.; }`.

snowfall-lib builds the configurations from folders, not from the flake's text:

- `systems/<target>/<name>/default.nix` is a system: `nixosConfigurations.<name>` for a
  Linux target, `darwinConfigurations.<name>` for a Darwin one, `<format>Configurations`
  for a nixos-generators format named in the target (`x86_64-iso`, `x86_64-proxmox`);
- `homes/<target>/<user>[@<host>]/default.nix` is `homeConfigurations."<user>@<host>"`;
- every `default.nix` under `modules/nixos` (`modules/darwin`, `modules/home`) is added to
  each system (each home); `systems.hosts.<name>.modules`, `systems.modules.nixos` and
  `homes.users.<name>.modules`, `homes.modules` from the flake are added too.

When the flake has an input called `home-manager`, snowfall-lib also adds that input's
NixOS module to every system, and makes each home a Home Manager user of the system
its name names (a home without `@host`: of every system of its architecture). Such a
repository already runs Home Manager as a NixOS module; the homes of machines without
a system here (a Mac, another distribution) stay standalone configurations.

The analysis builds the same configurations from the snapshot's folders, as values the
rest of the analysis already reads (SystemCall, module lists, a module that sets
`home-manager.users`), so nothing downstream knows about snowfall.
"""

from __future__ import annotations

import posixpath
from typing import Optional

from migrate.analyze.values import (
    AttrSet, Builtin, External, ExternalCall, Lambda, LazyCall, NixList, NixPath, OpenAttrSet, SystemCall, Thunk, Unknown,
    force, unwrap,
)
from migrate.analyze.lib_model import LibModel
from migrate.snapshot import join

# nixos-generators formats snowfall-lib recognises in a target. A target is of the first
# format it contains, in this order (`x86_64-install-iso-hyperv` is a `hyperv` target).
VIRTUAL_FORMATS = (
    "amazon", "azure", "cloudstack", "do", "gce", "hyperv", "install-iso-hyperv", "install-iso", "iso", "kexec",
    "kexec-bundle", "kubevirt", "lxc-metadata", "lxc", "openstack", "proxmox", "qcow", "raw", "raw-efi",
    "sd-aarch64-installer", "sd-aarch64", "vagrant-virtualbox", "virtualbox", "vm-bootloader", "vm-nogui", "vmware",
    "vm",
)
_FUNCTION = "snowfall-lib mkFlake"


def virtual_format(target: str) -> str:
    return next((name for name in VIRTUAL_FORMATS if name in target), "")


def resolved_system(target: str) -> str:
    """The Nix system a target builds for: `x86_64-iso` builds an `x86_64-linux` system."""
    format_ = virtual_format(target)
    return target.replace(format_, "linux") if format_ else target


class _At:
    """Where a configuration is defined, for messages: its folder's default.nix."""

    def __init__(self, where: str):
        self._where = where

    def where(self) -> str:
        return self._where

    def source_text(self) -> None:
        return None


def _at(path: str, fn, *args) -> Thunk:
    return LazyCall(fn, *args, origin=_At(f"{path}:1"))


def _ready(value) -> Thunk:
    return Thunk.ready(value)


# -- recognising a snowfall flake -----------------------------------------------------------


def prepare(evaluator, flake_path: str) -> list[str]:
    """Teach the evaluator the mkFlake / mkLib of the flake's snowfall-lib inputs (named by
    their url); the names of those inputs."""
    try:
        flake = evaluator.eval_file(flake_path)
    except Exception:
        return []  # discovery reports an unreadable flake itself
    declared = force(flake.attrs.get("inputs")) if isinstance(flake, AttrSet) and "inputs" in flake.attrs else None
    if not isinstance(declared, AttrSet):
        return []
    found = [name for name in declared.names() if _is_snowfall_lib(declared.attrs[name])]
    flake_dir = posixpath.dirname(flake_path)
    declared_names = set(declared.names())
    for name in found:
        def make_flake(ev, site, options, _base=None):
            return _build(ev, options, site, flake_dir, declared_names, _base)

        def make_lib(ev, site, base):
            mk_flake = Builtin("mkFlake", 1, lambda ev2, site2, options: make_flake(ev2, site2, options, base))
            return OpenAttrSet({"mkFlake": _ready(mk_flake)}, "the library snowfall-lib's mkLib returns",
                               site.where() if site is not None else None)

        evaluator.special_functions[f"inputs.{name}.mkFlake"] = make_flake
        evaluator.special_functions[f"inputs.{name}.mkLib"] = make_lib
    return found


def _is_snowfall_lib(thunk) -> bool:
    spec = unwrap(force(thunk))
    url = spec
    if isinstance(spec, AttrSet):
        url = unwrap(force(spec.attrs["url"])) if "url" in spec.attrs else None
        if url is None and "owner" in spec.attrs and "repo" in spec.attrs:
            owner, repo = unwrap(force(spec.attrs["owner"])), unwrap(force(spec.attrs["repo"]))
            url = f"{owner}/{repo}" if isinstance(owner, str) and isinstance(repo, str) else None
    return isinstance(url, str) and "snowfallorg/lib" in url.lower()


def virtual_outputs(evaluator, outputs) -> list[str]:
    """The `<format>Configurations` outputs of a snowfall flake (NixOS systems too)."""
    if not evaluator.special_functions or not isinstance(outputs, AttrSet):
        return []
    wanted = {f"{name}Configurations" for name in VIRTUAL_FORMATS}
    return sorted(name for name in outputs.attrs if name in wanted)


# -- what mkFlake builds --------------------------------------------------------------------


class _Options:
    """The mkFlake argument set, read leniently: a missing or unreadable option is absent."""

    def __init__(self, evaluator, value):
        self.ev = evaluator
        self.value = value

    def get(self, *names: str):
        value = self.value
        for name in names:
            value = unwrap(force(value))
            if not isinstance(value, AttrSet) or name not in value.attrs:
                return None
            value = value.attrs[name]
        value = unwrap(force(value))
        return None if isinstance(value, Unknown) else value

    def thunk(self, *names: str) -> Optional[Thunk]:
        parent = self.get(*names[:-1]) if len(names) > 1 else unwrap(force(self.value))
        return parent.attrs.get(names[-1]) if isinstance(parent, AttrSet) else None

    def modules(self, *names: str) -> list[Thunk]:
        value = self.get(*names)
        if isinstance(value, NixList):
            return list(value.items)
        thunk = self.thunk(*names)
        if thunk is not None:  # not a list the analysis can read: one unknown module, reported by the walk
            return [thunk]
        return []

    def attrs(self, *names: str) -> dict[str, Thunk]:
        value = self.get(*names)
        return dict(value.attrs) if isinstance(value, AttrSet) else {}


class _Snowfall:
    def __init__(self, evaluator, options: _Options, where: Optional[str], flake_dir: str, declared: set[str]):
        self.ev = evaluator
        self.options = options
        self.where = where
        self.where_file = (where or "flake.nix").split(":")[0]
        self.root = self._root(flake_dir)
        namespace = options.get("snowfall", "namespace")
        self.namespace = namespace if isinstance(namespace, str) else "internal"
        inputs = options.get("inputs")
        self.inputs_thunk = options.thunk("inputs") or _ready(Unknown("the flake's inputs"))
        names = set(inputs.attrs) if isinstance(inputs, AttrSet) else declared
        self.home_manager = "home-manager" in names
        self.module_files = {kind: self._default_files(f"modules/{kind}") for kind in ("nixos", "darwin", "home")}
        self.lib = self._system_lib()
        # snowfall-lib imports these itself, for the flake's other outputs
        for kind in ("lib", "overlays", "packages", "shells", "checks"):
            for path in self._default_files(kind):
                evaluator.record_read(self.where_file, path, "import")
        self.systems = self._entries("systems")
        self.homes = self._homes()

    def _root(self, flake_dir: str) -> str:
        src = _source_path(self.options.get("src"))
        root = src if src is not None else flake_dir
        configured = self.options.get("snowfall", "root")
        if isinstance(configured, NixPath) and configured.path is not None:
            root = configured.path
        return root

    def _path(self, relative: str) -> str:
        return join(self.root, relative) if self.root else relative

    def _dirs(self, relative: str) -> list[str]:
        path = self._path(relative)
        if not self.ev.snapshot.is_dir(path):
            return []
        return [name for name, kind in sorted(self.ev.snapshot.listdir(path).items()) if kind == "directory"]

    def _entries(self, kind: str) -> list[tuple[str, str, str]]:
        """(target, name, default.nix path) of each `<kind>/<target>/<name>/default.nix`."""
        found = []
        for target in self._dirs(kind):
            for name in self._dirs(f"{kind}/{target}"):
                path = self._path(f"{kind}/{target}/{name}/default.nix")
                if self.ev.snapshot.is_file(path):
                    found.append((target, name, path))
        return found

    def _homes(self) -> dict[str, tuple[str, str]]:
        """name -> (target, default.nix): a name in two targets is the last one's (snowfall-lib
        folds the homes into one set in folder order)."""
        homes: dict[str, tuple[str, str]] = {}
        for target, name, path in self._entries("homes"):
            if name in homes:
                self.ev.warn(f"{path}:1:1", f"home {name} is also {homes[name][1]}; snowfall-lib keeps only {path}")
            homes[name] = (target, path)
        return homes

    def _default_files(self, relative: str) -> list[str]:
        found = []
        top = self._path(relative)

        def visit(path: str) -> None:
            if not self.ev.snapshot.is_dir(path):
                return
            for name, kind in sorted(self.ev.snapshot.listdir(path).items()):
                child = join(path, name)
                if kind == "directory":
                    visit(child)
                elif name == "default.nix" and kind == "regular":
                    found.append(child)

        visit(top)
        return found

    def _system_lib(self) -> Thunk:
        """nixpkgs' lib with the flake's own library under `lib.<namespace>`: every
        `lib/**/default.nix`, called with what it names of { inputs, lib, namespace },
        merged deeply."""
        files = self._default_files("lib")
        if not files:
            return _ready(self.ev.lib)
        holder: dict[str, Thunk] = {}
        lib = LibModel({**self.ev.lib.attrs, self.namespace: LazyCall(lambda: self._user_lib(files, holder["lib"]))},
                       "lib.")
        holder["lib"] = _ready(lib)
        return holder["lib"]

    def _user_lib(self, files: list[str], lib: Thunk):
        merged = AttrSet({})
        args = {"inputs": self.inputs_thunk, "lib": lib, "namespace": _ready(self.namespace),
                "snowfall-inputs": _ready(Unknown("snowfall-lib's own inputs"))}
        for path in files:
            value = self.ev.eval_file(path)
            if isinstance(value, Lambda):
                wanted = value.formals if value.formals is not None else args
                value = self.ev.call(value, {n: t for n, t in args.items() if n in wanted})
            merged = _merge_deep(merged, force(value))
        return merged

    # -- systems ----------------------------------------------------------------------------

    def outputs(self) -> AttrSet:
        outputs: dict[str, dict[str, Thunk]] = {}
        for target, name, path in self.systems:
            format_ = virtual_format(target)
            attribute = (f"{format_}Configurations" if format_ else
                         "darwinConfigurations" if "darwin" in target else "nixosConfigurations")
            outputs.setdefault(attribute, {})[name] = _at(path, self._system, target, name, path)
        homes = {name: _at(path, self._home, name, target, path) for name, (target, path) in self.homes.items()}
        if homes:
            outputs["homeConfigurations"] = homes
        attrs = {attribute: _ready(AttrSet(members)) for attribute, members in outputs.items()}
        return OpenAttrSet(attrs, "snowfall-lib's other outputs (packages, overlays, shells)", self.where)

    def _system(self, target: str, name: str, path: str) -> SystemCall:
        darwin = "darwin" in target
        system = resolved_system(target)
        kind = "darwin" if darwin else "nixos"
        modules = [_ready(NixPath(path))]
        modules += [_ready(NixPath(p)) for p in self.module_files[kind]]
        modules += self.options.modules("systems", "hosts", name, "modules")
        modules += self.options.modules("systems", "modules", kind)
        if self.home_manager:
            modules += self._home_manager_modules(name, system, darwin)
        special = self.options.attrs("systems", "hosts", name, "specialArgs")
        format_ = virtual_format(target) or ("darwin" if darwin else "linux")
        special.update({
            "target": _ready(target), "system": _ready(system), "host": _ready(name),
            "virtual": _ready(bool(virtual_format(target))), "format": _ready(format_),
            "systems": _ready(Unknown("the other systems snowfall-lib built")),
            "inputs": self.inputs_thunk, "namespace": _ready(self.namespace), "lib": self.lib,
        })
        args = AttrSet({"system": _ready(system), "modules": _ready(NixList(modules)), "specialArgs": _ready(AttrSet(special))})
        return SystemCall(kind, args, self.where, _FUNCTION)

    def _home_manager_modules(self, host: str, system: str, darwin: bool) -> list[Thunk]:
        module_kind = "darwinModules" if darwin else "nixosModules"
        name = f"inputs.home-manager.{module_kind}.home-manager"
        users: dict[str, list[Thunk]] = {}
        user_args: dict[str, Thunk] = {}
        for home, (_target, path) in sorted(self.homes.items()):
            user, _, home_host = home.partition("@")
            home_system = self.homes[home][0]
            if not (home_host == host or (not home_host and home_system == system)):
                continue
            users.setdefault(user, []).extend(self.options.modules("homes", "users", home, "modules"))
            users[user].append(_ready(NixPath(path)))
            # snowfall-lib passes these to the user's modules through `_module.args`
            user_args.update(self.options.attrs("homes", "users", home, "specialArgs"))
        extra = {
            "system": _ready(system), "target": _ready(system), "format": _ready("home"),
            "virtual": _ready(False), "systems": _ready(Unknown("the other systems snowfall-lib built")),
            "host": _ready(host), "namespace": _ready(self.namespace), "lib": self.lib,
            "inputs": self.inputs_thunk,
        }
        extra.update(user_args)
        shared = [_ready(NixPath(p)) for p in self.module_files["home"]] + self.options.modules("homes", "modules")
        settings = {
            "useGlobalPkgs": _ready(True),
            "extraSpecialArgs": _ready(AttrSet(extra)),
            "sharedModules": _ready(NixList(shared)),
            "users": _ready(AttrSet({user: LazyCall(_imports, modules, origin=_At(self.where or "flake.nix"))
                                     for user, modules in users.items()})),
        }
        wiring = AttrSet({"home-manager": _ready(AttrSet(settings))})
        return [_ready(External(name, name, self.where)), _ready(wiring)]

    # -- homes ------------------------------------------------------------------------------

    def _home(self, name: str, target: str, path: str) -> SystemCall:
        user, _, host = name.partition("@")
        modules = [_ready(NixPath(path))]
        modules += [_ready(NixPath(p)) for p in self.module_files["home"]]
        modules += self.options.modules("homes", "users", name, "modules")
        modules += self.options.modules("homes", "modules")
        extra = {
            "name": _ready(name), "system": _ready(target), "user": _ready(user), "host": _ready(host),
            "format": _ready("home"), "inputs": self.inputs_thunk, "namespace": _ready(self.namespace),
            "pkgs": _ready(Unknown("packages (pkgs) are not evaluated by the analysis")), "lib": self.lib,
        }
        extra.update(self.options.attrs("homes", "users", name, "specialArgs"))
        args = AttrSet({"modules": _ready(NixList(modules)), "extraSpecialArgs": _ready(AttrSet(extra))})
        return SystemCall("home", args, self.where, _FUNCTION)

    def notes(self) -> list[str]:
        if not self.homes:
            return []
        if not self.home_manager:
            return ["snowfall-lib: the flake has no `home-manager` input, so its homes/ are built by no one"]
        linux = {name: resolved_system(target) for target, name, _ in self.systems if "darwin" not in target}
        darwin = {name for target, name, _ in self.systems if "darwin" in target}
        notes = []
        for home, (target, path) in sorted(self.homes.items()):
            user, _, host = home.partition("@")
            hosts = [host] if host in linux else [] if host else sorted(h for h, s in linux.items() if s == target)
            folder = posixpath.dirname(path)
            if hosts:
                notes.append(f"snowfall-lib: {folder} is already Home Manager user {user} of "
                             f"{', '.join(hosts)} (snowfall-lib adds the home-manager NixOS module to every "
                             "system, because the flake has a `home-manager` input)")
            elif host in darwin:
                notes.append(f"snowfall-lib: {folder} is Home Manager user {user} of nix-darwin system {host} "
                             "(left as it is: nix-darwin is out of scope)")
            else:
                notes.append(f"snowfall-lib: {folder} has no NixOS system here; it stays the standalone "
                             f"homeConfigurations.\"{home}\" (`home-manager switch --flake .#{home}`)")
        return notes


def _source_path(value, depth: int = 0) -> Optional[str]:
    """`./.`, or the `src` a source filter was given (`lib.cleanSourceWith { src = ./.; ... }`)."""
    value = unwrap(force(value))
    if isinstance(value, NixPath):
        return value.path
    if depth < 4 and isinstance(value, ExternalCall) and value.arg_thunks:
        return _source_path(value.arg_thunks[0], depth + 1)
    if depth < 4 and isinstance(value, AttrSet) and "src" in value.attrs:
        return _source_path(value.attrs["src"], depth + 1)
    return None


def _merge_deep(left, right):
    left, right = unwrap(left), unwrap(right)
    if not (isinstance(left, AttrSet) and isinstance(right, AttrSet)):
        return right
    attrs = dict(left.attrs)
    for name, thunk in right.attrs.items():
        if name in attrs:
            before = attrs[name]
            attrs[name] = LazyCall(lambda b=before, a=thunk: _merge_deep(force(b), force(a)))
        else:
            attrs[name] = thunk
    return AttrSet(attrs)


def _imports(modules: list[Thunk]) -> AttrSet:
    return AttrSet({"imports": _ready(NixList(modules))})


def _build(evaluator, options_thunk, site, flake_dir: str, declared: set[str], base=None):
    where = site.where() if site is not None else None
    options = force(options_thunk)
    base_value = force(base) if base is not None else None
    if isinstance(base_value, AttrSet) and isinstance(options, AttrSet):
        options = AttrSet({**base_value.attrs, **options.attrs})  # mkLib's inputs, src and snowfall
    if not isinstance(options, AttrSet):
        return Unknown("snowfall-lib mkFlake with arguments the analysis cannot read", where)
    flake = _Snowfall(evaluator, _Options(evaluator, options), where, flake_dir, declared)
    evaluator.notes.extend(flake.notes())
    return flake.outputs()
