"""HM008: which NixOS host(s) a home configuration belongs to, and one user per host."""

from __future__ import annotations

from migrate.rules._common import Rule, label, migrating_homes, root_location, ambiguous_homes

EXPLANATION = r"""
What it does
  Reports home configurations whose NixOS host cannot be told from the
  repository (a profile key such as `"work"`, no `hostname` argument, several
  hosts), bare user keys attached to every host that declares the user, and
  hosts that several home configurations of the same user would move into
  (`"dana@forge"` and `"console@forge"`, both for user dana on forge).

Why
  Home Manager as a NixOS module has one configuration per user and host:
  `home-manager.users.<name>`. A standalone setup can keep several profiles of
  one user and switch between them with `home-manager switch --flake .#key`;
  only one of them can become `home-manager.users.dana` on forge. Which host a
  configuration belongs to is read from what the repository says; where it
  says nothing, the tool does not guess.

Example
  Before:

    ```nix
    { mkHome, ... }:
    {
      homeConfigurations."dana@forge" = mkHome { hostname = "forge"; username = "dana"; desktop = "hyprland"; };
      homeConfigurations."console@forge" = mkHome { hostname = "forge"; username = "dana"; };
    }
    ```

  After (forge gets `dana@forge`; the other profile stays a standalone
  output, or becomes a NixOS specialisation by hand):

    ```nix
    {
      home-manager.users.dana = import ./modules/home;
    }
    ```

Fix
  Configurations are attached by `--attach`; by their key or arguments (a
  `"user@host"` key, a `hostname` argument, a key that is a host's name or
  `<host>-<user>`); by the folder of the files only they use
  (`hosts/<host>/home.nix`); a bare user key by the hosts that declare that
  user in `users.users` (reported here, for review); or by the repository's
  single host. A host that already runs Home Manager as a NixOS module is left
  as it is, and a per-machine folder of a machine that is no NixOS host here
  keeps its configuration standalone. When these disagree or say nothing, the
  migration stops until you answer with `--attach USER=HOST[,HOST]` (the
  message lists the candidate hosts). Several profiles of one user on one host
  are reported: the one whose key names the user is the likely
  `home-manager.users.<name>`, the others can stay standalone outputs. Needs
  review.
"""


def detect(analysis) -> list:
    findings = []
    for home in ambiguous_homes(analysis):
        file, line = root_location(home)
        candidates = home.attach_candidates or sorted(analysis.hosts)
        findings.append(RULE.finding(
            file, line,
            f"{label(home)}: cannot tell which NixOS host(s) user {home.user} belongs to; "
            f"pass --attach {home.user}=HOST[,HOST] (hosts: {', '.join(candidates)})",
            root=home.name, kind="ambiguous", user=home.user, candidates=candidates,
        ))
    for home in migrating_homes(analysis):
        if home.attach_basis != "users":
            continue
        file, line = root_location(home)
        findings.append(RULE.finding(
            file, line,
            f"{label(home)}: attached to {', '.join(home.hosts)}, the hosts that declare user {home.user} in "
            f"users.users (a bare `{home.name}` key is what `home-manager switch` uses on a machine without a "
            f"`{home.user}@<host>` configuration); if it runs elsewhere, choose with --attach {home.name}=HOST[,HOST]",
            root=home.name, kind="by-users", user=home.user, hosts=list(home.hosts),
        ))
    groups: dict = {}
    for home in migrating_homes(analysis):
        for host in home.hosts:
            groups.setdefault((host, home.user), []).append(home)
    for (host, user), homes in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if len(homes) < 2:
            continue
        names = sorted(h.name for h in homes)
        preferred = next((n for n in names if n.partition("@")[0] == user), names[0])
        for home in sorted(homes, key=lambda h: root_location(h)):
            file, line = root_location(home)
            others = [n for n in names if n != home.name]
            findings.append(RULE.finding(
                file, line,
                f"{label(home)} and {', '.join(others)} are all user {user} on host {host}: "
                f"only one can become home-manager.users.{user} (likely {preferred}, whose key names the user; "
                f"the others can stay standalone outputs)",
                root=home.name, kind="same-user-same-host", host=host, user=user, configurations=names,
                likely=preferred,
            ))
    return findings


RULE = Rule(
    id="HM008",
    name="attachment",
    message="a home configuration's NixOS host is ambiguous, or one user has several configurations on one host",
    explanation=EXPLANATION,
    fix="attached by key, hostname argument, folder, users.users or the single host; hosts already running Home "
        "Manager are left alone; ambiguous cases and several profiles of one user on one host need your decision "
        "(--attach); needs review",
    safe=False,
    detect=detect,
)
