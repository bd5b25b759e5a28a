"""HM012: home configurations with no NixOS host stay standalone."""

from __future__ import annotations

from migrate.analyze.values import External, force
from migrate.rules._common import Rule, label, call_arg_thunk, root_location, standalone_homes

EXPLANATION = r"""
What it does
  Lists the home configurations that have no NixOS host in the repository (a
  macOS laptop, a Steam Deck, a Fedora workstation), which stay standalone.

Why
  Only NixOS hosts can run Home Manager as a NixOS module. Elsewhere
  `home-manager switch --flake .#user@host` must keep working after the
  migration, even though the modules it uses have moved (to `modules/home/`).

Example
  Before:

    ```nix
    { nixpkgs, home-manager, ... }:
    {
      homeConfigurations."deck@steamdeck" = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [ ./home-manager ];
      };
    }
    ```

  After (same output, pointing at the moved files):

    ```nix
    { nixpkgs, home-manager, ... }:
    {
      homeConfigurations."deck@steamdeck" = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [ ./modules/home ];
      };
    }
    ```

Fix
  The `homeConfigurations` entry is kept with its paths rewritten; nothing else
  changes for it. Safe.
"""


def detect(analysis) -> list:
    findings = []
    for home in standalone_homes(analysis):
        file, line = root_location(home)
        platform = None
        thunk = call_arg_thunk(home, "pkgs")
        value = force(thunk) if thunk is not None else None
        if isinstance(value, External) and ".legacyPackages." in value.name:
            platform = value.name.rsplit(".legacyPackages.", 1)[1].split(".")[0]
        if platform is None and hasattr(home.args, "attrs") and "platform" in home.args.attrs:
            candidate = force(home.args.attrs["platform"])
            platform = candidate if isinstance(candidate, str) else None
        reason = (home.attach_reason or "no NixOS host").split(":", 1)[0]
        findings.append(RULE.finding(
            file, line,
            f"{label(home)} stays a standalone configuration ({reason})"
            + (f", platform {platform}" if platform else ""),
            root=home.name, user=home.user, reason=reason, platform=platform,
        ))
    return findings


RULE = Rule(
    id="HM012",
    name="standalone_only",
    message="home configurations without a NixOS host stay standalone and must keep working",
    explanation=EXPLANATION,
    fix="the homeConfigurations entry is kept, its paths rewritten to the moved files; safe",
    safe=True,
    detect=detect,
)
