"""Where a configuration's packages come from: the `pkgs` a standalone home is given,
the nixpkgs input that builds a host."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from migrate.analyze.values import AttrSet, External, PkgsInstance, force, unwrap


@dataclass
class StandalonePkgs:
    """What `homeConfigurations.<home>` gave as `pkgs`."""

    home: str  # the homeConfigurations key
    source: Optional[str]  # the flake input it comes from ("nixpkgs-unstable"), None when not one
    source_text: str  # how the analysis names where it comes from, for messages
    where: Optional[str]
    config: Optional[object] = None  # thunk of `config` in `import nixpkgs { ... }`
    overlays: Optional[object] = None  # thunk of `overlays`

    @property
    def settings(self) -> list[str]:
        return [name for name in ("config", "overlays") if getattr(self, name) is not None]


def standalone_pkgs(home) -> Optional[StandalonePkgs]:
    """The `pkgs` argument of HOME's homeManagerConfiguration call, when the analysis
    can tell what it is: `import <input> { ... }` or `<input>.legacyPackages.<system>`."""
    call = home.call
    args = getattr(call, "args", None) if call is not None else None
    thunk = args.attrs.get("pkgs") if isinstance(args, AttrSet) else None
    if thunk is None:
        return None
    value = unwrap(force(thunk))
    where = thunk.where() if hasattr(thunk, "where") else None
    if isinstance(value, PkgsInstance) and value.args is not None:  # `import nixpkgs { ... }`
        settings = value.args if isinstance(value.args, AttrSet) else AttrSet({})
        return StandalonePkgs(home.name, _input(value.source.name), value.source.name, value.where or where,
                              settings.attrs.get("config"), settings.attrs.get("overlays"))
    if isinstance(value, External) and ".legacyPackages." in value.name:
        name = value.name.split(".legacyPackages.", 1)[0]
        return StandalonePkgs(home.name, _input(name), name, where)
    return None


def _input(name: str) -> Optional[str]:
    """`nixpkgs` of `inputs.nixpkgs` (or of a path into it, `inputs.nixpkgs/pkgs/top-level`)."""
    parts = name.split("/", 1)[0].split(".")
    return parts[1] if len(parts) == 2 and parts[0] == "inputs" else None


def host_nixpkgs(host) -> Optional[str]:
    """The input whose `lib.nixosSystem` built HOST, when the analysis names one."""
    function = host.call.function if host.call is not None else ""
    parts = function.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "inputs" and parts[-1] == "nixosSystem" else None


def shares_pkgs(host, home) -> Optional[str]:
    """How HOST is built with the very package set HOME's standalone `pkgs` is, or None:
    "nixosSystem's pkgs argument" or "nixpkgs.pkgs". The host's `pkgs` is then that set, which
    useGlobalPkgs gives Home Manager as it is."""
    thunk = _call_arg(home, "pkgs")
    if thunk is None or host is None:
        return None
    value = unwrap(force(thunk))

    def same(given) -> bool:
        other = unwrap(force(given))
        return other is value or isinstance(value, External) and isinstance(other, External) and other.name == value.name

    given = _call_arg(host, "pkgs")
    if given is not None and same(given):
        return "nixosSystem's pkgs argument"
    return "nixpkgs.pkgs" if any(same(t) for t in host.nixpkgs_pkgs if t is not given) else None


def _call_arg(root, name: str):
    args = getattr(root.call, "args", None) if root.call is not None else None
    return args.attrs.get(name) if isinstance(args, AttrSet) else None
