"""HM007: the first activation as a NixOS module may meet existing dotfiles."""

from __future__ import annotations

import re

from migrate.rules._common import Rule, label, migrating_homes, root_location

EXPLANATION = r"""
What it does
  Reports every home configuration that moves into a NixOS host: its first
  activation through `nixos-rebuild switch` is a new Home Manager
  installation for that user. It also looks for the backup extension you
  already use (`home-manager switch -b backup` in a justfile, Makefile, alias).

Why
  Standalone Home Manager was switched with `home-manager switch`, often with
  `-b EXT` to move files in the way aside. As a NixOS module, activation runs
  in the `home-manager-<user>.service` unit during `nixos-rebuild switch`;
  there is no `-b`. If a file Home Manager wants to link already exists and
  is not one of its own links (a dotfile written by hand, or a link of the old
  standalone generation whose store path it does not recognise), activation
  stops with "Existing file '...' is in the way of '...'", the unit fails and
  the user's files are not updated. `home-manager.backupFileExtension` does
  what `-b` did; an existing backup file with that name still makes it fail
  (unless `home-manager.overwriteBackup` exists and is set).

Example
  Before:

    ```nix
    { mkHome, ... }:
    {
      # home-manager switch -b backup --flake .#dana@forge
      homeConfigurations."dana@forge" = mkHome { hostname = "forge"; };
    }
    ```

  After:

    ```nix
    {
      home-manager.backupFileExtension = "hm-backup";
    }
    ```

Fix
  `home-manager.backupFileExtension` is set in the wiring module (the extension
  you already use when one is found, else "hm-backup") and the report tells you
  to look for `*.hm-backup` files after the first switch. Safe.
"""

_BACKUP_FLAG = re.compile(r"home-manager\b[^\n]*?\bswitch\b[^\n]*?(?:\s-b\s*|\s--backup[ =])\s*['\"]?([A-Za-z0-9._-]+)")
_SCANNED = re.compile(r"(^|/)(justfile|Justfile|Makefile|makefile|[^/]*\.(nix|sh|bash|fish|zsh|just|mk|md))$")


def _backup_extensions(analysis) -> dict[str, str]:
    evaluator = getattr(analysis, "evaluator", None)
    snapshot = getattr(evaluator, "snapshot", None)
    found: dict[str, str] = {}
    if snapshot is None:
        return found
    for path in sorted(snapshot.paths(), key=lambda p: (p.endswith(".md"), p)):
        if not _SCANNED.search(path):
            continue
        try:
            if snapshot.size(path) > 512 * 1024:
                continue
            text = snapshot.read_bytes(path).decode("utf-8", "replace")
        except Exception:
            continue
        for match in _BACKUP_FLAG.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.setdefault(match.group(1), f"{path}:{line}")
    return found


def detect(analysis) -> list:
    homes = migrating_homes(analysis)
    if not homes:
        return []
    extensions = _backup_extensions(analysis)
    suggested = next(iter(extensions), "hm-backup")
    findings = []
    for home in homes:
        file, line = root_location(home)
        message = (f"{label(home)}: the first `nixos-rebuild switch` on {', '.join(home.hosts)} "
                   f"activates Home Manager for {home.user}; existing files in the way are moved to *.{suggested}")
        if extensions:
            message += f" (the extension already used with `-b`, {', '.join(f'{e} at {w}' for e, w in extensions.items())})"
        findings.append(RULE.finding(
            file, line, message, root=home.name, hosts=list(home.hosts), user=home.user,
            backup_extension=suggested, extensions_in_use=extensions,
        ))
    return findings


RULE = Rule(
    id="HM007",
    name="clobbered_dotfiles",
    message="the first activation as a NixOS module may find existing dotfiles in the way",
    explanation=EXPLANATION,
    fix="home-manager.backupFileExtension is set (the -b extension already in use, else hm-backup) and noted in the report; safe",
    safe=True,
    detect=detect,
)
