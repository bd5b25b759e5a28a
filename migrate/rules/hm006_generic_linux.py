"""HM006: `targets.genericLinux.enable`, for non-NixOS distributions only."""

from __future__ import annotations

from migrate.nix import query
from migrate.rules._common import Rule, root_settings

EXPLANATION = r"""
What it does
  Finds `targets.genericLinux.enable` in Home Manager modules and tells, for
  each configuration that evaluates it, whether that configuration moves into a
  NixOS host or stays a standalone configuration on another distribution.

Why
  `targets.genericLinux` adapts Home Manager to a distribution other than
  NixOS: it adds `/usr/share` and friends to `XDG_DATA_DIRS`, sources the Nix
  profile script `nix.sh` from shell start-up files, sets `NIX_PATH` and
  `TERMINFO_DIRS` for the user session. On a NixOS host these are wrong or
  redundant (the system already provides them). A Steam Deck or a Fedora
  laptop still needs them.

Example
  Before (a module used by the Steam Deck only):

    ```nix
    {
      targets.genericLinux.enable = true;
    }
    ```

  After, when the module is also used on a NixOS host:

    ```nix
    { lib, osConfig ? null, ... }:
    {
      targets.genericLinux.enable = lib.mkIf (osConfig == null) true;
    }
    ```

Fix
  Dropped for configurations that move into a NixOS host, kept for the
  standalone ones; a file used by both is reported for review.
"""


def detect(analysis) -> list:
    grouped: dict = {}
    for home in analysis.homes.values():
        if home.integrated:
            continue
        for setting in root_settings(analysis, home, ("targets", "genericLinux")):
            if setting.path != ("targets", "genericLinux", "enable"):
                continue
            if query.unparen(setting.value).text().strip() == "false":
                continue
            grouped.setdefault((setting.file, setting.line), []).append(home)
    findings = []
    for (file, line), homes in sorted(grouped.items()):
        nixos = sorted(h.name for h in homes if h.hosts or h.ambiguous)
        standalone = sorted(h.name for h in homes if not h.hosts and not h.ambiguous)
        if nixos and standalone:
            action = "review"
            text = (f"targets.genericLinux.enable is evaluated by {', '.join(nixos)} (moving into a NixOS host: drop) "
                    f"and by {', '.join(standalone)} (standalone: keep)")
        elif nixos:
            action = "drop"
            text = f"targets.genericLinux.enable is set for {', '.join(nixos)}, which moves into a NixOS host: dropped"
        else:
            action = "keep"
            text = f"targets.genericLinux.enable is set for {', '.join(standalone)}, which stays standalone: kept"
        findings.append(RULE.finding(
            file, line, text, root=homes[0].name if len(homes) == 1 else None, action=action,
            nixos_configurations=nixos, standalone_configurations=standalone,
            hosts=sorted({host for h in homes for host in h.hosts}),
        ))
    return findings


RULE = Rule(
    id="HM006",
    name="generic_linux",
    message="targets.genericLinux.enable is for non-NixOS distributions",
    explanation=EXPLANATION,
    fix="dropped for configurations moving into a NixOS host, kept for standalone-only ones; shared files need review",
    safe=False,
    detect=detect,
)
