"""HM003: Home Manager modules that come from flake inputs."""

from __future__ import annotations

from migrate.analyze.values import External, NixList, force
from migrate.nix import query
from migrate.rules._common import (
    Rule, ambiguous_homes, attrsets_of, call_arg_thunk, line_of, migrating_homes, module_files, parse,
    root_location, where_parts,
)

EXPLANATION = r"""
What it does
  Finds the Home Manager modules that come from flake inputs
  (`inputs.nixvim.homeModules.nixvim`, `inputs.agenix.homeManagerModules.default`)
  in the configurations that move into a NixOS host, and tells whether each one
  is listed in the `modules` argument of `homeManagerConfiguration` or imported
  by one of the repository's own modules.

Why
  The `modules` list of `homeManagerConfiguration` disappears in the
  migration. A module listed there must be given to Home Manager another way,
  or every option it declares (`programs.nixvim`, `age.secrets`) stops
  existing: "The option `programs.nixvim' does not exist". A module imported
  by one of your own files moves with that file and needs nothing.

Example
  Before:

    ```nix
    { inputs, nixpkgs, home-manager, ... }:
    {
      homeConfigurations.tomas = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [
          inputs.nixvim.homeModules.nixvim
          ./home-manager/home.nix
        ];
      };
    }
    ```

  After (in the host's Home Manager wiring):

    ```nix
    { inputs, ... }:
    {
      home-manager.sharedModules = [ inputs.nixvim.homeModules.nixvim ];
      home-manager.users.tomas = import ./modules/home;
    }
    ```

Fix
  Modules from the `modules` list go to `home-manager.sharedModules` (every HM
  user of the host gets them; with one user per host that is the same), those
  imported by your files stay where they are. Safe.
"""


def _top_level(home) -> dict[str, str]:
    """External modules written in the `modules` argument: name -> where."""
    found = {}
    thunk = call_arg_thunk(home, "modules")
    value = force(thunk) if thunk is not None else None
    if isinstance(value, NixList):
        for item in value.items:
            module = force(item)
            if isinstance(module, External):
                found[module.name] = item.where() or module.where or ""
    return found


def _imported_at(analysis, home, name: str):
    """Where one of the root's module files lists `name` in its imports."""
    for path in module_files(home):
        nix = parse(analysis, path)
        if nix is None or name not in nix.text:
            continue
        for attrset in attrsets_of(nix.expression):
            for element in query.imports_elements(attrset):
                if query.unparen(element.node).text().strip() == name:
                    return path, line_of(nix, element.node)
        index = nix.text.find(name)
        return path, nix.text.count("\n", 0, index) + 1
    return None, None


def detect(analysis) -> list:
    grouped: dict = {}
    for home in migrating_homes(analysis) + ambiguous_homes(analysis):
        top = _top_level(home)
        for name in home.external_modules:
            if name in top:
                file, line = where_parts(top[name])
                how = "modules-list"
            else:
                file, line = _imported_at(analysis, home, name)
                how = "imported"
            if file is None:
                file, line = root_location(home)
            grouped.setdefault((file, line, name, how), []).append(home)
    findings = []
    for (file, line, name, how), homes in grouped.items():
        action = ("moves to home-manager.sharedModules" if how == "modules-list"
                  else "imported by a module of the repository; it moves with that file")
        names = [h.name for h in homes]
        findings.append(RULE.finding(
            file, line, f"Home Manager module {name} from a flake input ({', '.join(names)}): {action}",
            root=names[0] if len(names) == 1 else None, module=name, listed_in=how, configurations=names,
            hosts=sorted({host for h in homes for host in h.hosts}),
        ))
    return findings


RULE = Rule(
    id="HM003",
    name="input_modules",
    message="Home Manager modules from flake inputs must reach the NixOS-module Home Manager",
    explanation=EXPLANATION,
    fix="modules from the homeManagerConfiguration modules list go to home-manager.sharedModules; imported ones stay",
    safe=True,
    detect=detect,
)
