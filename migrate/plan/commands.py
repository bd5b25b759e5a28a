"""Commands in scripts and documentation that the migration makes stale.

After the migration `sudo nixos-rebuild switch --flake .#HOST` builds a host and its
users together: a script that still runs `home-manager switch` for a migrated user, or
(coming from channels) `nixos-rebuild` without `--flake`, does something else than the
user expects. Such text is not rewritten (it may serve other machines); the report lists
where it is.
"""

from __future__ import annotations

import re

from migrate.plan.text_files import text_files

_HOME_MANAGER_SWITCH = re.compile(r"\bhome-manager\b[^\n]*?\bswitch\b")
_NIXOS_REBUILD = re.compile(r"\bnixos-rebuild\b[^\n]*")
_SHOWN = 10


def stale_commands(snapshot, plan, from_channels: bool) -> list[str]:
    """'file:line mentions ...' for `home-manager switch` (and, from channels, `nixos-rebuild`
    without --flake) in scripts and docs, when the plan moves Home Manager into hosts."""
    if not plan.wirings:
        return []
    hosts = ", ".join(w.host for w in plan.wirings)
    # With --channels keep, nixos-rebuild stays as it was and builds the users too.
    rebuild = "sudo nixos-rebuild switch" if plan.keeps_channels else "sudo nixos-rebuild switch --flake .#HOST"
    from_channels = from_channels and not plan.keeps_channels
    found: list[str] = []
    for path, text in text_files(snapshot):
        if "home-manager" not in text and not (from_channels and "nixos-rebuild" in text):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if _HOME_MANAGER_SWITCH.search(line):
                found.append(f"{path}:{number} mentions `home-manager switch`: on {hosts} Home Manager is now built "
                             f"by `{rebuild}`")
            elif from_channels and (match := _NIXOS_REBUILD.search(line)) and "--flake" not in match.group(0):
                found.append(f"{path}:{number} mentions `nixos-rebuild` without --flake: the hosts are now outputs "
                             "of flake.nix (`sudo nixos-rebuild switch --flake .#HOST`)")
    if len(found) > _SHOWN:
        found = found[:_SHOWN] + [f"... and {len(found) - _SHOWN} more"]
    return [f"not edited: {line}" for line in found]
