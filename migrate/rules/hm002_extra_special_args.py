"""HM002: `extraSpecialArgs` of home configurations that become NixOS-module users."""

from __future__ import annotations

from migrate.analyze.values import AttrSet, force
from migrate.rules._common import Rule, label, call_arg_thunk, migrating_homes, root_location, where_parts

EXPLANATION = r"""
What it does
  Lists, for every home configuration that moves into a NixOS host, the
  `extraSpecialArgs` it passes to `homeManagerConfiguration`, and marks the
  ones whose value differs from one configuration to the next (`hostname`,
  `desktop`, `platform`, ...): those must be computed per host.

Why
  Home Manager's modules read these names as module arguments
  (`{ hostname, username, ... }:`), often in `imports`, where `_module.args`
  cannot replace them. As a NixOS module, Home Manager takes them from
  `home-manager.extraSpecialArgs`, one set per host shared by all its users,
  and it adds `osConfig` itself. A name that is not passed any more makes the
  evaluation fail ("attribute 'hostname' missing"); a value computed in the
  old scope (a `let` of the flake, a helper's argument) has to be re-expressed
  where `mkHost` builds the host. Two users of one host cannot receive
  different values for the same name.

Example
  Before (lib/helpers.nix):

    ```nix
    { inputs, ... }:
    {
      mkHome = { hostname, username, desktop ? null }:
        inputs.home-manager.lib.homeManagerConfiguration {
          pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
          extraSpecialArgs = { inherit inputs hostname username desktop; };
          modules = [ ../home-manager ];
        };
    }
    ```

  After (in the module `mkHost` adds to every host):

    ```nix
    { inputs, hostname, username, desktop, ... }:
    {
      home-manager.extraSpecialArgs = { inherit inputs hostname username desktop; };
    }
    ```

Fix
  The names are carried into `home-manager.extraSpecialArgs` with the same value
  expressions, re-expressed in the flake's scope; per-host values come from the
  host's own arguments. Safe when every value is known; names whose value the
  analysis cannot re-express, or that differ between users of one host, are
  reported for review.
"""

_PER_HOST_NAMES = ("hostname", "host", "hostName", "desktop", "platform", "system")


def _fingerprint(args: AttrSet, name: str):
    thunk = args.attrs.get(name)
    if thunk is None:
        return None
    value = force(thunk)
    if value is None or isinstance(value, (str, int, float, bool)):
        return ("value", value)
    return ("where", thunk.where() or thunk.source_text())


def detect(analysis) -> list:
    findings = []
    homes = [h for h in migrating_homes(analysis) if isinstance(h.args, AttrSet) and len(h.args)]
    all_homes = [h for h in analysis.homes.values() if not h.integrated and isinstance(h.args, AttrSet)]
    for home in homes:
        names = home.arg_names()
        varying = []
        for name in names:
            prints = {_fingerprint(h.args, name) for h in all_homes if name in h.args}
            value = force(home.args.attrs[name])
            primitive = value is None or isinstance(value, (str, int, float, bool))
            if len(prints) > 1 or (name in _PER_HOST_NAMES and primitive):
                varying.append(name)
        values = {}
        for name in names:
            value = force(home.args.attrs[name])
            if value is None or isinstance(value, (str, int, float, bool)):
                values[name] = value
        # users of the same host that would need different values for one name
        clashes = []
        for host in home.hosts:
            for other in homes:
                if other is home or host not in other.hosts or other.user == home.user:
                    continue
                for name in names:
                    if name in other.args and _fingerprint(other.args, name) != _fingerprint(home.args, name):
                        clashes.append(f"{name} (differs for {other.name} on {host})")
        thunk = call_arg_thunk(home, "extraSpecialArgs")
        file, line = where_parts(thunk.where()) if thunk is not None and thunk.where() else (None, None)
        if file is None:
            file, line = where_parts(home.args_where) if home.args_where else root_location(home)
        message = f"{label(home)} passes extraSpecialArgs {', '.join(names)}"
        if varying:
            message += f"; per-host values: {', '.join(varying)}"
        if clashes:
            message += f"; conflicting for one host: {', '.join(sorted(set(clashes)))}"
        findings.append(RULE.finding(
            file, line, message, root=home.name, names=names, per_host=varying, values=values,
            hosts=list(home.hosts), conflicts=sorted(set(clashes)), defined_at=home.where,
        ))
    return findings


RULE = Rule(
    id="HM002",
    name="extra_special_args",
    message="extraSpecialArgs must be passed as home-manager.extraSpecialArgs, per-host values computed per host",
    explanation=EXPLANATION,
    fix="carried into home-manager.extraSpecialArgs with the same value expressions; per-host values from the host's arguments",
    safe=True,
    detect=detect,
)
