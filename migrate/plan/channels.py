"""Channels (no flake): create flake.nix, and turn `<channel>` lookups into flake inputs (HM011).

Inputs are pinned to the release `system.stateVersion` names, the best record a
channels setup keeps of which release it follows; the report says so, because
`sudo nix-channel --list` on the machine is the real answer.
"""

from __future__ import annotations

import re

from migrate.errors import MigrateError
from migrate.nix import emit, query
from migrate.nix.edit import ChangeSet
from migrate.plan.flake import HostWiring, backup_extension, mk_host_text
from migrate.plan.layout import Layout

_RELEASE = re.compile(r"^\d\d\.\d\d$")
_NIXPKGS_CHANNELS = {"nixpkgs", "nixos"}


def channel_url(channel: str, release: str) -> str:
    if channel in _NIXPKGS_CHANNELS:
        return f"github:NixOS/nixpkgs/nixos-{release}"
    if channel in ("nixos-unstable", "nixpkgs-unstable"):
        return f"github:NixOS/nixpkgs/{channel}"
    if re.fullmatch(r"nixos-\d\d\.\d\d(-small)?", channel):
        return f"github:NixOS/nixpkgs/{channel}"
    if channel == "nixos-hardware":
        return "github:NixOS/nixos-hardware"
    if channel == "home-manager":
        return f"github:nix-community/home-manager/release-{release}"
    raise MigrateError(f"channel <{channel}> has no known flake equivalent: add it as a flake input by hand "
                       "and migrate again; nothing was written")


def input_name(channel: str) -> str:
    return "nixpkgs" if channel in _NIXPKGS_CHANNELS else channel


def make_channels_plan(analysis, snapshot, findings):
    from migrate.plan import Plan, build_tree, migrating_homes, rewrite_paths
    from migrate.plan.paths import PathMap, nix_path

    if "flake.nix" in snapshot.paths():
        raise MigrateError("flake.nix exists but is not the repository's entry; nothing was written")
    per_host, kept = migrating_homes(analysis)
    if not per_host:
        return Plan(nothing_to_do="the Home Manager configuration belongs to no NixOS host")
    (host_name, homes), = per_host.items()
    host = analysis.hosts[host_name]
    release = _release(analysis, host, homes)
    moves = Layout(analysis, snapshot, homes).compute()
    path_map = PathMap(snapshot, moves)
    plan = Plan(moves=sorted(moves.values(), key=lambda m: m.old))
    plan.migrating = sorted(h.name for h in homes)
    edits = rewrite_paths(analysis, snapshot, path_map)
    channels = _replace_lookups(analysis, edits, findings)
    channels.discard("home-manager")
    wiring = HostWiring(host=host_name, use_global_pkgs=not _module_nixpkgs(findings))
    for home in homes:
        entry = home.entries[0][0].force().path
        target = path_map.target(entry) or entry
        if target.endswith("/default.nix"):
            target = target[: -len("/default.nix")]
        wiring.users[home.user] = [nix_path(target, "")]
        wiring.replaces.append(home.name)
    if channels:
        wiring.extra_special_args = ["inherit inputs;"]
        plan.expected_new_args = {"inputs"}
    entry = host.entries[0][0].force().path
    host_target = path_map.target(entry) or entry
    if host_target.endswith("/default.nix"):
        host_target = host_target[: -len("/default.nix")]
    plan.backup_extension = backup_extension(findings)
    flake = _flake_text(host_name, host.system, nix_path(host_target, ""), wiring, channels, release, bool(channels),
                        plan.backup_extension)
    plan.wirings = [wiring]
    plan.notes.append(f"HM010/HM011: flake.nix created; nixpkgs and home-manager pinned to release {release} "
                      "(from stateVersion): check `sudo nix-channel --list` and adjust the URLs if you follow another")
    for channel in sorted(channels):
        plan.notes.append(f"HM011: <{channel}> lookups now read flake input {input_name(channel)} ({channel_url(channel, release)})")
    plan.expected_new_externals = {f'inputs.{input_name(c)}' for c in channels}
    build_tree(snapshot, moves, edits, plan)
    plan.tree["flake.nix"] = flake.encode("utf-8")
    plan.modes["flake.nix"] = 0o100644
    plan.changed.add("flake.nix")
    return plan


def _release(analysis, host, homes) -> str:
    for root, names in [(host, ("system", "stateVersion"))] + [(h, ("home", "stateVersion")) for h in homes]:
        for path in sorted(root.files):
            nix = analysis.evaluator.parse(path)
            body = query.module_attrs(nix)
            node = query.find_binding(body, names) if body is not None else None
            if node is not None and node.kind() == "NODE_STRING":
                value = query.string_constant(node)
                if value and _RELEASE.match(value):
                    return value
    raise MigrateError("cannot tell which release to pin: system.stateVersion is not a plain \"YY.MM\" string; "
                       "nothing was written")


def _module_nixpkgs(findings) -> bool:
    return any(f.rule_id == "HM001" and f.data.get("source") == "module" for f in findings)


def _replace_lookups(analysis, edits, findings) -> set[str]:
    channels: set[str] = set()
    for finding in findings:
        if finding.rule_id != "HM011" or "lookup" not in finding.data:
            continue
        path = finding.file
        nix = analysis.evaluator.parse(path)
        changes = edits.get(path) or ChangeSet(nix)
        edits[path] = changes
        lookup = finding.data["lookup"]
        channel, sub = finding.data["channel"], finding.data.get("subpath")
        for literal in analysis.graph.index_of(path).paths:
            if literal.kind != "search" or literal.text != lookup or \
                    nix.line_col(literal.start)[0] != finding.line:
                continue
            name = f"inputs.{emit.attr_key(input_name(channel))}"
            text = name if not sub else f"({name} + {emit.string_literal('/' + sub)})"
            changes.replace_range(literal.start, literal.end, text)
            channels.add(channel)
            if not sub and _pin_system(nix, literal, changes):
                _ensure_formal(nix, changes, "pkgs")
        formals = query.formals(nix)
        if formals is None or formals.ident is not None:
            raise MigrateError(f"{path}:{finding.line}: {lookup} is in a file that is not a module function; "
                               "replace it by hand; nothing was written")
        _ensure_formal(nix, changes, "inputs")
    return channels


def _ensure_formal(nix, changes, name: str) -> None:
    formals = query.formals(nix)
    added = changes.__dict__.setdefault("_formals_added", set())
    if name not in formals.names and formals.at_name != name and name not in added:
        changes.add_formal(nix, name)
        added.add(name)


def _pin_system(nix, literal, changes) -> bool:
    """`import <channel> { ... }` used the machine's system implicitly; a flake
    evaluates purely, so the same system is passed: the host's own."""
    node = literal.node.parent()
    while node is not None and node.kind() == "NODE_PAREN":
        node = node.parent()
    if node is None or node.kind() != "NODE_APPLY" or query.unparen(node.first_child()).text().strip() != "import":
        return False
    outer = node.parent()
    if outer is None or outer.kind() != "NODE_APPLY":
        return False
    args = query.unparen(outer.last_child())
    if args is None or args.kind() != "NODE_ATTR_SET":
        return False
    names = {b.path[0] for b in query.bindings(args, nix)} | {n for i in query.inherits(args) for n in i.names}
    if names & {"system", "localSystem", "crossSystem"}:
        return False
    changes.insert_binding(args, "system = pkgs.stdenv.hostPlatform.system;")
    return True


def _flake_text(host: str, system, entry: str, wiring: HostWiring, channels: set[str], release: str, pass_inputs: bool,
                extension: str) -> str:
    inputs = [f'    nixpkgs.url = "{channel_url("nixpkgs", release)}";', "    home-manager = {",
              f'      url = "{channel_url("home-manager", release)}";', '      inputs.nixpkgs.follows = "nixpkgs";', "    };"]
    for channel in sorted(channels):
        if input_name(channel) == "nixpkgs":
            continue
        url = channel_url(channel, release)
        inputs.append(f"    {emit.attr_key(input_name(channel))}.url = \"{url}\";")
    helper = "\n".join("      " + line if line else line
                       for line in mk_host_text("mkHost", "home-manager.nixosModules.home-manager", extension).split("\n"))
    system_line = f'        system = "{system}";\n' if system else ""
    special = "        specialArgs = { inherit inputs; };\n" if pass_inputs else ""
    return (
        "{\n"
        f"  description = \"NixOS configuration of {host}, with Home Manager as a NixOS module\";\n\n"
        "  # Created by hm-migrate from a channels setup: the inputs replace the channels\n"
        f"  # (pinned to release {release}, from stateVersion; check `sudo nix-channel --list`).\n"
        "  inputs = {\n" + "\n".join(inputs) + "\n  };\n\n"
        "  outputs =\n"
        "    { self, nixpkgs, home-manager, ... }@inputs:\n"
        "    let\n" + helper + "\n    in\n"
        "    {\n"
        f"      # sudo nixos-rebuild switch --flake .#{host}\n"
        f"      nixosConfigurations.{emit.attr_key(host)} = mkHost (nixpkgs.lib.nixosSystem {{\n"
        + system_line + special +
        f"        modules = [ {entry} ];\n"
        "      }) " + wiring.render("      ") + ";\n"
        "    };\n"
        "}\n"
    )
