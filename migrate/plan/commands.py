"""Commands in scripts and documentation that the migration makes stale.

After the migration `sudo nixos-rebuild switch --flake .#HOST` builds a host and its
users together: a script that still runs `home-manager switch` for a migrated user, or
(coming from channels) `nixos-rebuild` without `--flake`, does something else than the
user expects. Such text is not rewritten (it may serve other machines); the report lists
where it is.
"""

from __future__ import annotations

import re

_SCANNED = re.compile(r"(^|/)(README[^/]*|justfile|Justfile|Makefile|makefile|[^/]*\.(md|txt|sh|bash|fish|zsh|just|mk|nix|toml|yaml|yml))$")
_HOME_MANAGER_SWITCH = re.compile(r"\bhome-manager\b[^\n]*?\bswitch\b")
_NIXOS_REBUILD = re.compile(r"\bnixos-rebuild\b[^\n]*")
_LARGEST = 512 * 1024
_SHOWN = 10


def stale_commands(snapshot, plan, from_channels: bool) -> list[str]:
    """'file:line mentions ...' for `home-manager switch` (and, from channels, `nixos-rebuild`
    without --flake) in scripts and docs, when the plan moves Home Manager into hosts."""
    if not plan.wirings:
        return []
    hosts = ", ".join(w.host for w in plan.wirings)
    found: list[str] = []
    for path in snapshot.paths():
        if not _SCANNED.search(path) or snapshot.is_symlink(path):
            continue
        try:
            if snapshot.size(path) > _LARGEST:
                continue
            text = snapshot.read_bytes(path).decode("utf-8")
        except (UnicodeDecodeError, OSError, ValueError):
            continue
        if "home-manager" not in text and not (from_channels and "nixos-rebuild" in text):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if _HOME_MANAGER_SWITCH.search(line):
                found.append(f"{path}:{number} mentions `home-manager switch`: on {hosts} Home Manager is now built "
                             "by `sudo nixos-rebuild switch --flake .#HOST`")
            elif from_channels and (match := _NIXOS_REBUILD.search(line)) and "--flake" not in match.group(0):
                found.append(f"{path}:{number} mentions `nixos-rebuild` without --flake: the hosts are now outputs "
                             "of flake.nix (`sudo nixos-rebuild switch --flake .#HOST`)")
    if len(found) > _SHOWN:
        found = found[:_SHOWN] + [f"... and {len(found) - _SHOWN} more"]
    return [f"not edited: {line}" for line in found]
