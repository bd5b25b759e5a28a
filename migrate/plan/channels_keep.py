"""`--channels keep`: Home Manager as a NixOS module, staying on channels.

What people do by hand: the host's entry module imports `<home-manager/nixos>` and sets
`home-manager.users.<user> = import ./home.nix;`. No flake, no file moves (the files are
often linked into /etc/nixos and ~/.config/home-manager, which a move would break):
one edit of each host's entry module, and the channel commands to run as root, whose
channels `nixos-rebuild` evaluates with, Home Manager's included.
"""

from __future__ import annotations

import posixpath
from typing import Optional

from migrate.errors import MigrateError
from migrate.nix import emit, query
from migrate.nix.edit import ChangeSet
from migrate.plan.channel_lookups import input_name
from migrate.plan.flake import HostWiring, backup_extension
from migrate.plan.paths import PathMap, nix_path

HM_MODULE = "<home-manager/nixos>"
_SETTINGS = ("useGlobalPkgs", "useUserPackages", "backupFileExtension")


def channel_url(channel: str, release: str) -> str:
    """Where `sudo nix-channel --add` finds CHANNEL (its name on the command line)."""
    if channel == "home-manager":
        return f"https://github.com/nix-community/home-manager/archive/release-{release}.tar.gz"
    if channel == "nixos-hardware":
        return "https://github.com/NixOS/nixos-hardware/archive/master.tar.gz"
    return f"https://nixos.org/channels/{channel}"


def make_keep_plan(analysis, snapshot, findings):
    from migrate.plan import Plan, build_tree, migrating_homes, nothing_to_do
    from migrate.plan.channels import entry_of, host_release, module_nixpkgs, release_of

    per_host, kept = migrating_homes(analysis)
    if not per_host:
        return Plan(nothing_to_do=nothing_to_do(analysis, kept))
    newest, _how = release_of(analysis, required=False)
    plan = Plan(keeps_channels=True)
    plan.backup_extension = backup_extension(findings)
    use_global_pkgs = not module_nixpkgs(findings)
    edits: dict[str, ChangeSet] = {}
    entries, imported, releases, needed = [], [], {}, {}
    for host_name, homes in sorted(per_host.items()):
        host = analysis.hosts[host_name]
        wiring = HostWiring(host=host_name, use_global_pkgs=use_global_pkgs, form="its entry module")
        entry = _entry_file(analysis, host)
        users = {}
        for home in homes:
            users[home.user] = nix_path(entry_of(home), posixpath.dirname(entry))
            wiring.users[home.user] = [f"import {users[home.user]}"]
            wiring.replaces.append(home.name)
        settings = {"useGlobalPkgs": "true" if use_global_pkgs else "false", "useUserPackages": "true",
                    "backupFileExtension": emit.string_literal(plan.backup_extension)}
        if _edit_entry(analysis, host, entry, edits, settings, users):
            imported.append(entry)
        plan.wirings.append(wiring)
        entries.append(entry)
        # Each machine has its own channels: its own release, read from its stateVersion.
        releases[host_name] = host_release(analysis, host) or newest
        needed[host_name] = _channels_homes_need(analysis, findings, host, homes)
    plan.migrating = sorted(h.name for hs in per_host.values() for h in hs)
    build_tree(snapshot, {}, edits, plan)
    plan.path_map = PathMap(snapshot, {})
    plan.notes.append(_release_note(entries, imported, releases))
    for host_name, channels in sorted(needed.items()):
        if channels:
            plan.notes.append(
                f"Home Manager on {host_name} now evaluates with root's channels, not its users': "
                + ", ".join(f"<{c}> (read by {', '.join(places)})" for c, places in sorted(channels.items()))
                + f" must be {'a channel' if len(channels) == 1 else 'channels'} of root too")
    plan.notes.extend(_other_machines(analysis, entries))
    for home in kept:
        plan.notes.append(f"{entry_of(home)} (Home Manager of {home.user or home.name}) belongs to no NixOS host of "
                          "this repository: it stays a standalone configuration")
    plan.next_steps = _next_steps(releases, needed)
    return plan


def _other_machines(analysis, entries: list[str]) -> list[str]:
    """An edited entry inside the folder of the machine a link or copy picks is that
    machine's alone: the others' entries need the same lines."""
    notes = []
    for name, choice in sorted(analysis.host_choices.items()):
        if not choice.chosen or not choice.others:
            continue
        for entry in entries:
            real = analysis.evaluator.snapshot.resolve(entry) or entry
            if real.startswith(choice.chosen + "/"):
                others = ", ".join(f + "/" for f in choice.others)
                notes.append(f"host {name}: {real} is the entry of the machine in {choice.chosen}/, which the "
                             f"{choice.kind} {choice.links[0][0]} picks; the other machines' entries ({others}) "
                             f"were not edited: give them the same {HM_MODULE} import and home-manager lines")
    return notes


def _release_note(entries: list[str], imported: list[str], releases: dict[str, Optional[str]]) -> str:
    if None in releases.values():
        which = "on the release of root's nixos channel (no stateVersion names it: `sudo nix-channel --list` does)"
    elif len(set(releases.values())) == 1:
        which = f"release-{next(iter(releases.values()))}"
    else:
        which = ", ".join(f"release-{release} on {host}" for host, release in sorted(releases.items()))
    one = len(entries) == 1
    how = f"{'sets' if one else 'set'} the Home Manager users"
    if imported == entries:
        how = f"{'imports' if one else 'import'} {HM_MODULE} and {how}"
    elif imported:
        how += f" ({', '.join(imported)} also {'imports' if len(imported) == 1 else 'import'} {HM_MODULE})"
    if None not in releases.values():
        which += (" (read from stateVersion: it must be the release of root's nixos channel, which "
                  "`sudo nix-channel --list` shows)")
    return (f"channels kept, no file moves (links into /etc/nixos and ~/.config/home-manager keep working): "
            f"{', '.join(entries)} now {how}; root needs Home Manager's channel, {which}")


def _next_steps(releases: dict[str, str], needed: dict[str, dict]) -> list[str]:
    """The commands, each machine's marked when there are several."""
    several = len(releases) > 1
    steps = []
    if None in releases.values():
        steps.append("sudo nix-channel --list  # the release YY.MM of the nixos channel, for the URLs below")
    for host, release in sorted(releases.items()):
        on = f"  # on {host}" if several else ""
        steps.append(f"sudo nix-channel --add {channel_url('home-manager', release or 'YY.MM')} home-manager{on}")
        steps += [f"sudo nix-channel --add {channel_url(c, release)} {c}{on}" for c in sorted(needed[host])]
    everywhere = f"  # on {', '.join(sorted(releases))}" if several else ""
    return steps + [f"sudo nix-channel --update{everywhere}", f"sudo nixos-rebuild switch{everywhere}"]


def _entry_file(analysis, host) -> str:
    """The path Nix reads the host's entry as (a link it ends in followed): relative
    paths written into it are relative to that path's folder, links above it included."""
    from migrate.plan.channels import entry_of

    named = entry_of(host)
    return analysis.evaluator.resolve_import(named) or named


def _channels_homes_need(analysis, findings, host, homes) -> dict[str, list[str]]:
    """Channels the host's migrating homes look up that the host does not already: root
    must have them now. channel -> the places."""
    host_files = host.files
    home_files = {path for home in homes for path in home.files}
    host_channels = {f.data["channel"] for f in findings
                     if f.rule_id == "HM011" and "channel" in f.data and f.file in host_files}
    needed: dict[str, list[str]] = {}
    for finding in findings:
        if finding.rule_id != "HM011" or "channel" not in finding.data or finding.file not in home_files:
            continue
        channel = finding.data["channel"]
        if channel in host_channels or input_name(channel) == "nixpkgs" or channel == "home-manager":
            continue  # root follows nixos (<nixpkgs>) on NixOS; home-manager is added anyway
        place = f"{finding.file}:{finding.line}"
        if place not in needed.setdefault(channel, []):
            needed[channel].append(place)
    return needed


def _edit_entry(analysis, host, entry: str, edits, settings: dict[str, str], users: dict[str, str]) -> bool:
    """Edit the host's entry module; True when it now imports the module as well."""
    nix = analysis.evaluator.parse(entry)
    module = query.module_attrs(nix)
    if module is None:
        raise MigrateError(f"{entry}: the host's entry module is not an attribute set this tool can edit; add "
                           f"{HM_MODULE} to its imports and `home-manager.users.<name> = import ./home.nix;` by "
                           "hand, or migrate to a flake (without --channels keep); nothing was written")
    # The bytes live in the file the path leads to (through a folder link, maybe).
    changes = edits.setdefault(analysis.evaluator.snapshot.resolve(entry) or entry, ChangeSet(nix))
    adds_import = not _imports_hm_module(analysis, host)
    if adds_import:
        _add_import(nix, module, changes, entry)
    config = _config_set(nix, module, entry)
    already = _set_anywhere(analysis, host)
    lines = [f"{name} = {value};" for name, value in settings.items() if name not in already]
    lines += [f"users.{emit.attr_key(user)} = import {path};" for user, path in sorted(users.items())]
    block = query.find_binding(config, ("home-manager",), nix)
    if block is not None and block.kind() == "NODE_ATTR_SET":
        for line in lines:
            changes.insert_binding(block, line)
    elif any(b.path[0] == "home-manager" for b in query.bindings(config, nix)):
        for line in lines:
            changes.insert_binding(config, f"home-manager.{line}")
    else:
        body = "\n".join("  " + line for line in lines)
        changes.insert_binding(config, f"home-manager = {{\n{body}\n}};")
    return adds_import


def _imports_hm_module(analysis, host) -> bool:
    """Whether one of the host's files already names <home-manager/nixos>."""
    for path in host.files:
        if path.endswith(".nix") and any(literal.kind == "search" and literal.text.rstrip(">").rstrip("/")
                                         in ("<home-manager/nixos", "<home-manager/nixos/default.nix")
                                         for literal in analysis.graph.index_of(path).paths):
            return True
    return False


def _add_import(nix, module, changes: ChangeSet, entry: str) -> None:
    imports = query.find_binding(module, ("imports",), nix)
    if imports is None:
        changes.insert_binding(module, f"imports = [ {HM_MODULE} ];")
        return
    listed = _first_list(imports)
    if listed is not None:
        changes.insert_list_element(listed, HM_MODULE)
        return
    text = imports.text()
    simple = imports.kind() in ("NODE_APPLY", "NODE_SELECT", "NODE_IDENT", "NODE_PAREN", "NODE_LIST")
    changes.replace(imports, f"[ {HM_MODULE} ] ++ " + (text if simple else f"({text})"))


def _first_list(node):
    """The list an `imports` value starts with (`[ ... ]`, `[ ... ] ++ ...`), or None."""
    node = query.unparen(node)
    while node is not None and node.kind() == "NODE_BIN_OP":
        node = query.unparen(node.first_child())
    return node if node is not None and node.kind() == "NODE_LIST" else None


def _config_set(nix, module, entry: str):
    """Where settings go: the module's set, or its `config` set when it declares options."""
    names = {binding.path[0] for binding in query.bindings(module, nix)}
    if "options" not in names and "config" not in names:
        return module
    config = query.find_binding(module, ("config",), nix)
    if config is None or config.kind() != "NODE_ATTR_SET":
        raise MigrateError(f"{entry}: the host's entry module declares options and its `config` is not a plain "
                           "attribute set; add the home-manager settings by hand; nothing was written")
    return config


def _set_anywhere(analysis, host) -> set[str]:
    """The home-manager settings (useGlobalPkgs, ...) some file of the host sets already."""
    found = set()
    for path in host.files:
        if not path.endswith(".nix"):
            continue
        module = query.module_attrs(analysis.evaluator.parse(path))
        if module is None:
            continue
        for name in _SETTINGS:
            if query.find_binding(module, ("home-manager", name)) is not None or \
                    query.find_binding(module, ("config", "home-manager", name)) is not None:
                found.add(name)
    return found
