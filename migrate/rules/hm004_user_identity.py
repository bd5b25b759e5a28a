"""HM004: `home.username` / `home.homeDirectory`, which the NixOS module sets from `users.users.<name>`."""

from __future__ import annotations

from migrate.nix import query
from migrate.rules._common import Rule, migrating_homes, root_settings
from migrate.rules._host_users import host_users

EXPLANATION = r"""
What it does
  Finds `home.username` and `home.homeDirectory` set in the Home Manager
  modules of configurations that move into a NixOS host, and checks whether
  each such host defines the user in `users.users.<name>` (written as
  `users.users.dana`, `users.users = { dana = ...; }` or
  `users.users.${username}` with the name known).

Why
  Home Manager's NixOS module sets, for `home-manager.users.<name>`,
  `home.username = config.users.users.<name>.name` and
  `home.homeDirectory = config.users.users.<name>.home`. A module that sets
  them too is fine while the values are equal, and fails with "The option
  `home.homeDirectory' has conflicting definition values" when they differ
  (say `/Users/dana` on one branch of an `if`). A host without
  `users.users.<name>` gets an incomplete user (`home = "/var/empty"`, neither
  `isNormalUser` nor `isSystemUser`), which NixOS refuses.

Example
  Before:

    ```nix
    { vars, ... }:
    {
      home.username = vars.username;
      home.homeDirectory = "/home/${vars.username}";
    }
    ```

  After (the host module defines the user; the HM lines can go):

    ```nix
    { vars, ... }:
    {
      users.users.${vars.username} = {
        isNormalUser = true;
        home = "/home/${vars.username}";
      };
    }
    ```

Fix
  The settings are left in place (equal values merge) and reported; a host that
  lacks `users.users.<name>` is reported as needing one. Needs review when the
  value is not a constant equal to the host's.
"""


def _constant(setting):
    value = query.unparen(setting.value)
    if value is not None and value.kind() == "NODE_STRING" and not setting.inherited:
        return query.string_constant(value)
    return None


def detect(analysis) -> list:
    grouped: dict = {}
    for home in migrating_homes(analysis):
        for option in (("home", "username"), ("home", "homeDirectory")):
            for setting in root_settings(analysis, home, option):
                if setting.path != option:
                    continue
                grouped.setdefault((setting.file, setting.line, setting.option), (setting, []))[1].append(home)
    findings = []
    host_cache: dict = {}
    for (file, line, option), (setting, homes) in sorted(grouped.items()):
        hosts = {}
        for home in homes:
            for host_name in home.hosts:
                host = analysis.hosts.get(host_name)
                if host is None or not home.user:
                    continue
                key = (host_name, home.user)
                if key not in host_cache:
                    host_cache[key] = host_users(analysis, host).status(home.user)
                status, where = host_cache[key]
                hosts[f"{home.user}@{host_name}"] = {"host": host_name, "user": home.user, "users_users": status,
                                                    "where": where}
        constant = _constant(setting)
        users = sorted({h.user for h in homes if h.user})
        equal = None
        if constant is not None and option == "home.username":
            equal = all(constant == u for u in users)
        elif constant is not None and option == "home.homeDirectory":
            equal = all(constant == f"/home/{u}" for u in users) or None
        missing = sorted(k for k, v in hosts.items() if v["users_users"] == "missing")
        unknown = sorted(k for k, v in hosts.items() if v["users_users"] == "unknown")
        message = f"`{option}` is set in a Home Manager module; the NixOS module sets it from users.users.<name>"
        if equal is False:
            message += f" (the value {constant!r} differs from the user name: conflicting definitions)"
        if missing:
            message += f"; no users.users.<name> on {', '.join(missing)}"
        elif unknown:
            message += f"; users.users.<name> not decidable on {', '.join(unknown)}"
        else:
            message += "; the host defines the user"
        findings.append(RULE.finding(
            file, line, message, root=homes[0].name if len(homes) == 1 else None,
            option=option, value=setting.text, constant=constant, equal=equal,
            configurations=[h.name for h in homes], hosts=hosts, missing=missing,
        ))
    return findings


RULE = Rule(
    id="HM004",
    name="user_identity",
    message="home.username / home.homeDirectory are set by the NixOS module from users.users.<name>",
    explanation=EXPLANATION,
    fix="left in place when equal to users.users.<name>; a host without users.users.<name> is reported (review)",
    safe=False,
    detect=detect,
)
