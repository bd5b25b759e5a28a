"""HM001: the Home Manager package set is configured (`pkgs` with config/overlays, or `nixpkgs.*`)."""

from __future__ import annotations

from migrate.analyze.packages import host_nixpkgs, shares_pkgs, standalone_pkgs
from migrate.analyze.values import AttrSet, PkgsInstance, unwrap
from migrate.nix import query
from migrate.rules._common import (
    Rule, label, Source, ambiguous_homes, call_arg_thunk, migrating_homes, node_at, normalize_text, parse,
    root_settings, settings, where_col,
)

EXPLANATION = r"""
What it does
  Finds the places where the package set of a standalone Home Manager
  configuration is configured: a `pkgs` argument built with
  `import nixpkgs { config = ...; overlays = ...; }`, a `pkgs` taken from
  another nixpkgs input than the one that builds the NixOS host
  (`import nixpkgs-unstable { ... }`, `nixpkgs-unstable.legacyPackages.${system}`),
  and Home Manager modules that set `nixpkgs.config`, `nixpkgs.overlays` (or
  other `nixpkgs.*` options). For every NixOS host the configuration moves
  to, it compares them with the host's own `nixpkgs.config` / `nixpkgs.overlays`.

Why
  As a NixOS module, Home Manager has no `pkgs` argument of its own. With
  `home-manager.useGlobalPkgs = true` it uses the host's `pkgs`: the `config`
  and `overlays` of the old `pkgs = import nixpkgs { ... }` are gone, and HM's
  `nixpkgs.*` options are ignored (Home Manager warns "You have set either
  `nixpkgs.config` or `nixpkgs.overlays` while using
  `home-manager.useGlobalPkgs`", and fails when both are set). The visible
  symptoms are unfree packages refused or overlay packages missing.
  With `useGlobalPkgs = false`, Home Manager builds its own package set the way
  standalone did: `import pkgsPath { config = nixpkgs.config; overlays =
  nixpkgs.overlays; }`, where `pkgsPath` is the host's nixpkgs unless set.
  Standalone, `homeConfigurations` turned `pkgs` into exactly such settings:
  `nixpkgs.config = lib.mkDefault pkgs.config` (a module's own
  `nixpkgs.config` replaced it) and `nixpkgs.overlays = pkgs.overlays`.

Example
  Before:

    ```nix
    { self, nixpkgs, home-manager, ... }:
    {
      homeConfigurations.tomas = home-manager.lib.homeManagerConfiguration {
        pkgs = import nixpkgs {
          system = "x86_64-linux";
          config.allowUnfree = true;
          overlays = [ self.overlays.default ];
        };
        modules = [ ./home.nix ];
      };
    }
    ```

  After, when the host sets neither (its own package set is left alone):

    ```nix
    { self, nixpkgs, mkHost, ... }:
    {
      nixosConfigurations.box = mkHost (nixpkgs.lib.nixosSystem { modules = [ ./box.nix ]; }) {
        useGlobalPkgs = false;
        users.tomas.imports = [
          # hm-migrate: config and overlays of tomas's standalone `pkgs`
          ({ lib, ... }: {
            nixpkgs.config = lib.mkDefault { allowUnfree = true; };
            nixpkgs.overlays = [ self.overlays.default ];
          })
          ./home.nix
        ];
      };
    }
    ```

Fix
  When every host already sets the same `config` and `overlays`, or is built
  with that very package set (`nixosSystem { inherit pkgs; }`, `nixpkgs.pkgs`)
  and adds no overlays of its own, the `pkgs` settings are redundant and
  `useGlobalPkgs = true` is kept. Otherwise Home Manager builds its own
  packages (`useGlobalPkgs = false`) and the user gets a module that sets
  what the old `pkgs` had: `nixpkgs.config` as a default,
  as standalone did, and `nixpkgs.overlays`. The host's own `nixpkgs.*` is
  never changed, since it also builds the system's packages. A `pkgs` from
  another nixpkgs input also sets `_module.args.pkgsPath` to that input, the
  argument Home Manager imports its packages from (its `lib` stays the host's).
  Home Manager modules that set `nixpkgs.*` keep them, with
  `useGlobalPkgs = false`. A `pkgs` that comes from no flake input the flake
  can name stops the run.
"""


def _overlay_items(setting) -> set[str]:
    value = setting.value
    node = value
    while node is not None and node.kind() == "NODE_PAREN":
        node = node.first_child()
    if node is not None and node.kind() == "NODE_LIST":
        return {normalize_text(item.text()) for item in node.children()}
    return {normalize_text(setting.text)}


def _config_leaves(found, base: tuple) -> dict:
    """``{sub.path: normalized value text}`` of every leaf setting under ``base``."""
    leaves = {}
    for setting in found:
        if setting.path[: len(base)] != base:
            continue
        value = query.unparen(setting.value) if setting.value is not None else None
        if not setting.inherited and value is not None and value.kind() == "NODE_ATTR_SET":
            continue
        sub = ".".join(setting.path[len(base):]) or "<whole>"
        leaves[sub] = normalize_text(setting.text)
    return leaves


def _covered(option: str, hm: dict | set, host: dict | set) -> bool:
    """Whether the host's value makes the HM one redundant."""
    if option == "overlays":
        return set(hm) <= set(host)
    for key, text in hm.items():
        if host.get(key) == text:
            continue
        if key == "allowUnfreePredicate" and host.get("allowUnfree") == "true":
            continue  # allowUnfree = true already admits every unfree package
        return False
    return True


class _Hosts:
    """The host side: what each NixOS host sets under `nixpkgs`."""

    def __init__(self, analysis):
        self.analysis = analysis
        self._cache = {}

    def of(self, name: str) -> dict:
        if name not in self._cache:
            host = self.analysis.hosts.get(name)
            found = root_settings(self.analysis, host, ("nixpkgs",)) if host is not None else []
            self._cache[name] = {
                "config": [s for s in found if s.path[:2] == ("nixpkgs", "config")],
                "overlays": [s for s in found if s.path[:2] == ("nixpkgs", "overlays")],
            }
        return self._cache[name]

    def compare(self, name: str, option: str, hm_value) -> dict:
        host = self.of(name)[option]
        where = sorted({f"{s.file}:{s.line}" for s in host if len(s.path) == 2 or s.path[:2] == ("nixpkgs", option)})
        if not host:
            return {"sets": False, "where": [], "covers": False}
        if option == "overlays":
            host_value = set().union(*(_overlay_items(s) for s in host if s.path == ("nixpkgs", "overlays")))
        else:
            host_value = _config_leaves(host, ("nixpkgs", "config"))
        return {"sets": True, "where": where[:3], "covers": _covered(option, hm_value, host_value)}


def _decide(per_host: dict) -> str:
    if not per_host:
        return "undecided (no NixOS host attached yet)"
    if all(h["covers"] for h in per_host.values()):
        return "drop: every host already sets the same (useGlobalPkgs = true)"
    return (f"carry: the host {'sets different ones' if any(h['sets'] for h in per_host.values()) else 'sets none'}, "
            "so Home Manager builds its own packages (useGlobalPkgs = false) and a module of the user sets them "
            "(nixpkgs.config as a default, as standalone did; nixpkgs.overlays); the host's own settings stay as they are")


PASSED_ALONG = ("kept: Home Manager modules get this `pkgs` as before, since the host's "
                "home-manager.extraSpecialArgs carries it")


def _passed_as_special_arg(home, pkgs) -> bool:
    args = home.args if isinstance(home.args, AttrSet) else None
    passed = args.attrs.get("pkgs") if args is not None else None
    return passed is not None and unwrap(passed.force()) is pkgs


def _pkgs_argument(analysis, home, hosts, findings) -> None:
    thunk = call_arg_thunk(home, "pkgs")
    if thunk is None:
        return
    value = unwrap(thunk)
    if not isinstance(value, PkgsInstance) or not isinstance(value.args, AttrSet):
        return
    options = [name for name in ("config", "overlays") if name in value.args]
    if not options:
        return
    where = thunk.where() or value.where
    file, line, col = where_col(where)
    nix = parse(analysis, file)
    found = []
    if nix is not None and line is not None:
        node = node_at(nix, line, col, ("NODE_APPLY", "NODE_PAREN"))
        if node is not None:
            _function, args = query.apply_spine(node)
            if args:
                found = settings(Source(file, nix, args[-1]), (), module=False)
    per_host = {}
    for option in options:
        if option == "overlays":
            hm_value = set().union(*(_overlay_items(s) for s in found if s.path == ("overlays",))) if found else set()
        else:
            hm_value = _config_leaves(found, ("config",))
        for host in home.hosts:
            per_host.setdefault(host, {})[option] = hosts.compare(host, option, hm_value)
    combined = {h: {"sets": any(v["sets"] for v in o.values()), "covers": all(v["covers"] for v in o.values())}
                for h, o in per_host.items()}
    names = " and ".join(f"`{o}`" for o in options)
    # The host's `pkgs` is that set, with the host's own nixpkgs.overlays applied on top
    # (nixpkgs.nix: `pkgs.appendOverlays`), so it is the user's set only without them.
    given = {h: shares_pkgs(analysis.hosts.get(h), home) for h in home.hosts}
    same_set = [h for h in home.hosts if given[h] and not hosts.of(h)["overlays"]]
    if home.hosts and len(same_set) == len(home.hosts):
        how = " or ".join(sorted({given[h] for h in same_set}))
        action = (f"drop: {', '.join(same_set)} {'builds' if len(same_set) == 1 else 'build'} with this very package "
                  f"set ({how}), which Home Manager uses with useGlobalPkgs = true")
        message = f"{label(home)}: `pkgs` is built with {names}; {action}"
    elif _passed_as_special_arg(home, value):
        # extraSpecialArgs.pkgs reaches every Home Manager module as `pkgs`, ahead of
        # the package set useGlobalPkgs gives: the modules keep building with this one.
        action = PASSED_ALONG
        message = f"{label(home)}: `pkgs` is built with {names} and also passed as extraSpecialArgs.pkgs; {action}"
    else:
        action = _decide(combined)
        message = (f"{label(home)}: `pkgs` is built with {names}, which a NixOS-module Home Manager "
                   f"does not receive; {action}")
    findings.append(RULE.finding(
        file, line,
        message,
        root=home.name, source="pkgs argument", options=[f"nixpkgs.{o}" for o in options],
        configurations=[home.name], hosts=per_host, action=action,
        conflict=any(h["sets"] and not h["covers"] for h in combined.values()),
    ))


def _pkgs_input(analysis, home, findings) -> None:
    """A `pkgs` from another nixpkgs input than the one that builds the host."""
    pkgs = standalone_pkgs(home)
    if pkgs is None:
        return
    others = {}
    for name in home.hosts:
        host = analysis.hosts.get(name)
        built_from = host_nixpkgs(host) if host is not None else None
        if built_from is not None and pkgs.source != built_from and not shares_pkgs(host, home):
            others[name] = built_from
    if not others:
        return
    file, line, _col = where_col(pkgs.where)
    if pkgs.source is None:
        action = (f"refuse: it is no flake input, so Home Manager cannot be told to import it "
                  "(`_module.args.pkgsPath`)")
    else:
        action = (f"carry: Home Manager builds its own packages (useGlobalPkgs = false) from input {pkgs.source} "
                  "(`_module.args.pkgsPath`); its `lib` is the host's")
    built = ", ".join(f"host {host} is built from {source}" for host, source in sorted(others.items()))
    origin = f"input {pkgs.source}" if pkgs.source else pkgs.source_text
    findings.append(RULE.finding(
        file, line, f"{label(home)}: `pkgs` comes from {origin}, while {built}; {action}",
        root=home.name, source="pkgs input", options=["nixpkgs"], configurations=[home.name],
        hosts={host: {"nixpkgs": source} for host, source in others.items()}, action=action, conflict=True,
    ))


def _replaces_pkgs_config(option, found, homes) -> str:
    """What a module's plain `nixpkgs.config` does to the `config` of a standalone `pkgs`:
    Home Manager took that one as a default (`lib.mkDefault pkgs.config`), so it was
    replaced, and the carried default is replaced the same way."""
    if option != "config" or any(query.unparen(s.value).text().lstrip().startswith(_OVERRIDES) for s in found):
        return ""
    given = [h.name for h in homes if (pkgs := standalone_pkgs(h)) is not None and pkgs.config is not None]
    if not given:
        return ""
    return (f"; as it did standalone, it takes the place of the `config` of the `pkgs` of {', '.join(sorted(given))} "
            "(a default), whose settings do not apply unless set here too")


_OVERRIDES = ("lib.mkDefault", "mkDefault", "lib.mkOverride", "mkOverride", "lib.mkOptionDefault", "mkOptionDefault")


def detect(analysis) -> list:
    findings = []
    hosts = _Hosts(analysis)
    homes = migrating_homes(analysis) + ambiguous_homes(analysis)
    for home in homes:
        _pkgs_argument(analysis, home, hosts, findings)
        _pkgs_input(analysis, home, findings)
    # HM modules setting nixpkgs.*: one finding per file and option
    occurrences: dict = {}
    for home in homes:
        for setting in root_settings(analysis, home, ("nixpkgs",)):
            if len(setting.path) == 1 and query.unparen(setting.value).kind() == "NODE_ATTR_SET":
                continue  # `nixpkgs = { ... };`: its members are reported one by one
            option = setting.path[1] if len(setting.path) >= 2 else None
            key = (setting.file, option)
            entry = occurrences.setdefault(key, {"settings": [], "homes": []})
            entry["settings"].append(setting)
            if home not in entry["homes"]:
                entry["homes"].append(home)
    options_of_home: dict = {}
    for (file, option), entry in occurrences.items():
        for home in entry["homes"]:
            options_of_home.setdefault(home.name, set()).add(option)
    for (file, option), entry in sorted(occurrences.items(), key=lambda kv: (kv[0][0], min(s.line for s in kv[1]["settings"]))):
        found = entry["settings"]
        first = min(found, key=lambda s: s.line)
        both = any({"config", "overlays"} <= options_of_home.get(h.name, set()) for h in entry["homes"])
        per_host = {}
        if option in ("config", "overlays"):
            if option == "overlays":
                hm_value = set().union(*(_overlay_items(s) for s in found if s.path == ("nixpkgs", "overlays")))
            else:
                hm_value = _config_leaves(found, ("nixpkgs", "config"))
            for home in entry["homes"]:
                for host in home.hosts:
                    per_host[host] = hosts.compare(host, option, hm_value)
            same = per_host and all(h["covers"] for h in per_host.values())
            action = ("keep: useGlobalPkgs = false, so Home Manager still builds its packages with this setting"
                      + (" (the hosts set the same)" if same else "") + _replaces_pkgs_config(option, found, entry["homes"]))
        elif option is None:
            action = "review: `nixpkgs` is set as a whole"
        else:
            action = f"keep: useGlobalPkgs = false, so `nixpkgs.{option}` still applies"
        shown = f"nixpkgs.{option}" if option else "nixpkgs"
        extra = " (with both config and overlays set, Home Manager's useGlobalPkgs assertion fails)" if both else ""
        findings.append(RULE.finding(
            file, first.line,
            f"`{shown}` is set in a Home Manager module; with useGlobalPkgs it would be ignored{extra}; {action}",
            root=entry["homes"][0].name if len(entry["homes"]) == 1 else None,
            source="module", options=[shown], configurations=sorted(h.name for h in entry["homes"]),
            hosts=per_host, action=action, both_config_and_overlays=both,
            conflict=any(h["sets"] and not h["covers"] for h in per_host.values()),
        ))
    return findings


def after_plan(finding, plan):
    """What the plan did about a `pkgs` argument: dropped (useGlobalPkgs = true), or
    carried into a module of the user because Home Manager builds its own packages."""
    if finding.data.get("source") not in ("pkgs argument", "pkgs input"):
        return finding
    configurations = set(finding.data.get("configurations") or [])
    wirings = [w for w in plan.wirings if configurations & set(w.replaces)]
    own = [w for w in wirings if not w.use_global_pkgs]
    if not own:
        return finding
    modules = [m for w in own for m in w.package_modules.values() if m.home in configurations]
    here = finding.location()
    because = sorted({reason for w in own for reason in w.own_packages_because if not reason.startswith(here + ":")})
    why = f" (Home Manager builds its own packages for: {'; '.join(because)})" if because else ""
    if modules:
        action = (f"carried: useGlobalPkgs = false, and a Home Manager module of the user sets "
                  f"{modules[0].describe()}{why}")
    else:
        action = f"useGlobalPkgs = false{why}"
    finding.message = finding.message.replace(finding.data["action"], action)
    finding.data["action"] = action
    return finding


RULE = Rule(
    id="HM001",
    name="nixpkgs_options",
    message="Home Manager's package set is configured (pkgs config/overlays or nixpkgs.*), which useGlobalPkgs ignores",
    explanation=EXPLANATION,
    fix="a `pkgs` whose settings every host already has (or that builds the host itself) gives useGlobalPkgs = true; otherwise Home Manager "
        "builds its own packages (useGlobalPkgs = false) with a module that sets what `pkgs` had "
        "(nixpkgs.config as a default, nixpkgs.overlays, and `_module.args.pkgsPath` for another nixpkgs input); "
        "Home Manager modules that set nixpkgs.* keep them; the host's nixpkgs settings are never changed",
    safe=False,
    detect=detect,
    after_plan=after_plan,
)
