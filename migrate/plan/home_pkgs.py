"""The package set of a standalone home (its `pkgs` argument), and the Home Manager
module that gives a user the same package set once Home Manager is a NixOS module.

How Home Manager builds packages, read from its source (nix-community/home-manager):

- standalone, `lib/default.nix` turns `homeManagerConfiguration { pkgs, ... }` into the
  module `{ nixpkgs.config = lib.mkDefault pkgs.config; nixpkgs.overlays =
  pkgs.overlays; }`, and `modules/misc/nixpkgs.nix` then builds
  `import pkgsPath { config; overlays; system }` where `pkgsPath` defaults to
  `pkgs.path` (`modules/modules.nix`). So `pkgs`'s config is only a default that a
  module's own `nixpkgs.config` replaces, while its overlays come before the modules' ones.
- as a NixOS module (`nixos/common.nix`), with `useGlobalPkgs = true` the user gets the
  host's `pkgs` and `nixpkgs.*` is off; with `useGlobalPkgs = false` the same
  `modules/misc/nixpkgs.nix` runs, with `pkgsPath` defaulting (`lib.mkDefault`) to the
  host's `pkgs.path`.

So with `useGlobalPkgs = false`, a module that sets what `lib/default.nix` set gives the
user what standalone gave; a `pkgs` from another nixpkgs input than the host's also
sets `_module.args.pkgsPath` to that input (the argument Home Manager imports, not
`_module.args.pkgs`, which would bypass `nixpkgs.config` and `nixpkgs.overlays`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from migrate.analyze.packages import StandalonePkgs
from migrate.nix import emit
from migrate.plan.carry import free_in_text, operand


@dataclass
class PackageModule:
    """A Home Manager module written inline in a host's wiring, after a comment line."""

    home: str  # the homeConfigurations key whose `pkgs` it stands for
    comment: str
    lines: list[str]  # the bindings of its body
    needs_lib: bool  # a function of Home Manager's `lib` (for `lib.mkDefault`)
    # `(name, value)`: values computed outside the function, where they were written for
    # (the flake's scope), because they read a name the function's `lib` would hide
    outside: Optional[tuple[str, str]] = None

    def describe(self) -> str:
        """What the module sets, for messages."""
        said = {"nixpkgs.config": "nixpkgs.config (as a default, as standalone did)",
                "nixpkgs.overlays": "nixpkgs.overlays", "_module.args.pkgsPath": "_module.args.pkgsPath"}
        return ", ".join(said[line.split(" =", 1)[0]] for line in self.lines) + " to what `pkgs` had"

    def render(self, indent: str) -> str:
        inner = indent + "  "
        body = "\n".join(f"{inner}{emit.reindent(line, inner)}" for line in self.lines)
        if not self.needs_lib:
            return f"# {self.comment}\n{indent}{{\n{body}\n{indent}}}"
        if self.outside is None:
            return f"# {self.comment}\n{indent}({{ lib, ... }}: {{\n{body}\n{indent}}})"
        name, value = self.outside
        return (f"# {self.comment}\n{indent}(let {name} = {emit.reindent(value, indent)}; in {{ lib, ... }}: {{\n"
                f"{body}\n{indent}}})")


def package_module(pkgs: StandalonePkgs, carrier, pkgs_path: Optional[str]) -> Optional[PackageModule]:
    """The module that rebuilds PKGS's package set under useGlobalPkgs = false, or None
    when Home Manager's own defaults already do (no settings, the host's nixpkgs)."""
    what = f"`pkgs` of homeConfigurations.{emit.attr_key(pkgs.home)}"
    config = carrier.carry(pkgs.config, f"{what}: config") if pkgs.config is not None else None
    overlays = carrier.carry(pkgs.overlays, f"{what}: overlays") if pkgs.overlays is not None else None
    if config is None and overlays is None and pkgs_path is None:
        return None
    outside = None
    if config is not None and "lib" in free_in_text(config) + free_in_text(overlays or ""):
        # The settings read the flake's `lib`: computed outside the module's `{ lib, ... }:`.
        read = set(free_in_text(config) + free_in_text(overlays or ""))
        name = "standalone"
        while name in read:
            name += "'"
        parts = [f"config = {config};"] + ([f"overlays = {overlays};"] if overlays is not None else [])
        outside = (name, "{ " + " ".join(parts) + " }")
        config, overlays = f"{name}.config", (f"{name}.overlays" if overlays is not None else None)
    lines = []
    if config is not None:
        # A default, as homeManagerConfiguration made it: a module's own nixpkgs.config replaces it.
        lines.append(f"nixpkgs.config = lib.mkDefault {operand(config)};")
    if overlays is not None:
        lines.append(f"nixpkgs.overlays = {overlays};")
    if pkgs_path is not None:
        lines.append(f"_module.args.pkgsPath = {pkgs_path};")
    parts = ([f"the nixpkgs input ({pkgs.source})"] if pkgs_path is not None else []) + pkgs.settings
    comment = f"hm-migrate: {' and '.join(parts)} of {pkgs.home}'s standalone `pkgs`"
    return PackageModule(pkgs.home, comment, lines, needs_lib=config is not None, outside=outside)
