"""HM005: Home Manager managing itself (`programs.home-manager.enable`, `home-manager` in `home.packages`)."""

from __future__ import annotations

import re

from migrate.nix import query
from migrate.rules._common import Rule, iter_homes_of_file, line_of, migrating_homes, parse, root_settings

EXPLANATION = r"""
What it does
  Finds `programs.home-manager.enable` and the `home-manager` command in
  `home.packages` in the Home Manager modules of configurations that move into
  a NixOS host.

Why
  A standalone installation needs the `home-manager` command to switch, so
  the usual `home.nix` says "Let Home Manager install and manage itself". As a
  NixOS module, Home Manager is activated by `nixos-rebuild switch` (a
  `home-manager-<user>` systemd unit); the command is no longer used to switch,
  and running `home-manager switch` against the old flake output would
  activate a second, diverging generation. The setting does no harm: it only
  installs the command.

Example
  Before:

    ```nix
    {
      programs.home-manager.enable = true;
    }
    ```

  After (optional clean-up, by hand):

    ```nix
    {
      # switch with: sudo nixos-rebuild switch --flake .#HOST
    }
    ```

Fix
  Left in place and noted as no longer needed; it must stay for configurations
  that remain standalone (a file shared with one keeps it). Safe.
"""

_HM_PACKAGE = re.compile(r"^(?:pkgs\.)?home-manager$|^(?:inputs\.)?home-manager\.packages\.")


def _package_items(setting):
    value = setting.value
    if value is None:
        return []
    lists = [value] if value.kind() == "NODE_LIST" else []
    lists += list(value.find_by_kind("NODE_LIST")) if hasattr(value, "find_by_kind") else []
    found = []
    seen = set()
    for node in lists:
        if node.text_range() in seen:
            continue
        seen.add(node.text_range())
        for item in node.children():
            if _HM_PACKAGE.match(query.unparen(item).text().strip()):
                found.append(item)
    return found


def detect(analysis) -> list:
    grouped: dict = {}
    lines_of: dict = {}  # id(setting) -> lines of its home-manager items; most settings belong to every home
    for home in migrating_homes(analysis):
        for setting in root_settings(analysis, home, ("programs", "home-manager")):
            if setting.path == ("programs", "home-manager", "enable") and query.unparen(setting.value).text() != "false":
                grouped.setdefault((setting.file, setting.line, "programs.home-manager.enable"), []).append(home)
        for setting in root_settings(analysis, home, ("home", "packages")):
            if setting.path != ("home", "packages"):
                continue
            nix = parse(analysis, setting.file)
            if nix is None:
                continue
            lines = lines_of.get(id(setting))
            if lines is None:
                lines = lines_of[id(setting)] = [line_of(nix, item) for item in _package_items(setting)]
            for line in lines:
                grouped.setdefault((setting.file, line, "home.packages"), []).append(home)
    findings = []
    for (file, line, what), homes in sorted(grouped.items()):
        standalone = sorted(h.name for h in iter_homes_of_file(analysis, file) if not h.hosts)
        if what == "home.packages":
            text = "the home-manager command is installed through home.packages"
        else:
            text = "programs.home-manager.enable is set"
        text += "; no longer needed once Home Manager runs as a NixOS module"
        if standalone:
            text += f" (keep it: {', '.join(standalone)} stays standalone and uses this file)"
        findings.append(RULE.finding(
            file, line, text, root=homes[0].name if len(homes) == 1 else None, option=what,
            configurations=[h.name for h in homes], still_needed_by=standalone,
        ))
    return findings


RULE = Rule(
    id="HM005",
    name="self_management",
    message="programs.home-manager.enable / home-manager in home.packages is not needed with the NixOS module",
    explanation=EXPLANATION,
    fix="left in place and noted as no longer needed (kept for standalone configurations); safe",
    safe=True,
    detect=detect,
)
