"""Channels (no flake): create flake.nix, and turn `<channel>` lookups into flake inputs (HM011).

Inputs are pinned to the release `system.stateVersion` names, the best record a
channels setup keeps of which release it follows; the report says so, because
`sudo nix-channel --list` on the machine is the real answer.
"""

from __future__ import annotations

import re

from migrate.errors import MigrateError
from migrate.nix import emit, query
from migrate.plan.channel_lookups import channel_url, input_name, replace_lookups
from migrate.plan.host_choices import Choices
from migrate.plan.flake import HostWiring, backup_extension
from migrate.plan.untracked import untracked_paths

_RELEASE = re.compile(r"^\d\d\.\d\d$")


def make_channels_plan(analysis, snapshot, findings, layout: str = "full"):
    from migrate.plan import Plan, build_tree, migrating_homes, nothing_to_do
    from migrate.plan.placement import place_files

    if "flake.nix" in snapshot.paths():
        raise MigrateError("flake.nix exists but is not the repository's entry; nothing was written")
    per_host, kept = migrating_homes(analysis)
    if not per_host:
        return Plan(nothing_to_do=nothing_to_do(analysis, kept))
    homes = [h for hs in per_host.values() for h in hs]
    for root in [*analysis.hosts.values(), *homes]:
        _refuse_outside_modules(analysis, root)
    release, release_note = release_of(analysis)
    choices = Choices(analysis, snapshot, homes)
    placement = choices.placement(analysis, snapshot, place_files(analysis, snapshot, homes, layout))
    moves, path_map, edits = placement.moves, placement.path_map, placement.edits
    plan = Plan(moves=sorted(moves.values(), key=lambda m: m.old), fallbacks=placement.fallbacks)
    plan.migrating = sorted(h.name for h in homes)
    evaluated = {path for root in [*analysis.hosts.values(), *homes] for path in root.files}
    kept_files = {path: entry_of(home) for home in kept for path in home.files}
    channels, left = replace_lookups(analysis, edits, findings, evaluated, kept_files)
    # Modules read from an input replace modules read from a channel (verification expects them).
    plan.expected_new_externals = {f'inputs.{input_name(c)}' for c in channels}
    channels.discard("home-manager")  # an input of every generated flake already
    use_global_pkgs = not module_nixpkgs(findings)
    hosts = []
    for host_name in sorted(analysis.hosts):
        wiring = None
        if host_name in per_host:
            wiring = HostWiring(host=host_name, use_global_pkgs=use_global_pkgs, form="its modules list")
            for home in per_host[host_name]:
                wiring.users[home.user] = [_entry_text(home, path_map)]
                wiring.replaces.append(home.name)
            if channels:
                wiring.extra_special_args = ["inherit inputs;"]
            plan.wirings.append(wiring)
        hosts.append((analysis.hosts[host_name], _entry_text(analysis.hosts[host_name], path_map), wiring))
    if channels:
        plan.expected_new_args = {"inputs"}
    plan.backup_extension = backup_extension(findings)
    flake = _flake_text(hosts, channels, release, bool(channels), plan.backup_extension)
    plan.notes.append(f"HM010/HM011: flake.nix created; nixpkgs and home-manager pinned to release {release} "
                      f"({release_note}): check `sudo nix-channel --list` and adjust the URLs if you follow another; "
                      "Home Manager used each user's own channels (`nix-channel --list` as that user) and now builds "
                      "with the host's nixpkgs")
    for channel in sorted(channels):
        plan.notes.append(f"HM011: <{channel}> lookups now read flake input {input_name(channel)} ({channel_url(channel, release)})")
    for home in kept:
        plan.notes.append(f"{entry_of(home)} (Home Manager of {home.user or home.name}) belongs to no NixOS host of this "
                          "repository: it stays a standalone configuration, used with its channels as before")
    plan.notes.extend(left)
    plan.notes.extend(choices.notes())
    explained = choices.places()
    plan.notes.extend(note for note in untracked_paths(analysis, snapshot)
                      if note.split(" names ", 1)[0] not in explained)
    build_tree(snapshot, moves, edits, plan)
    plan.path_map = path_map
    plan.tree["flake.nix"] = flake.encode("utf-8")
    plan.modes["flake.nix"] = 0o100644
    plan.changed.add("flake.nix")
    return plan


class FlakeImpossible(MigrateError):
    """The setup cannot become a flake as it is; staying on channels (`--channels keep`)
    still gives Home Manager as a NixOS module."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def _refuse_outside_modules(analysis, root) -> None:
    """A flake is evaluated purely: a module imported by absolute path (most often
    /etc/nixos/hardware-configuration.nix) cannot be read any more, and the host would
    not build."""
    for text in root.external_modules:
        if not text.startswith(("/", "~")):
            continue
        place = _literal_place(analysis, root, text)
        raise FlakeImpossible(
            f"{place}{root.label} imports {text}, outside the repository: a flake cannot read it (pure evaluation), "
            f"so the host would not build; copy it into the repository beside the file that imports it, import it "
            f"by a relative path, and run again (or stay on channels: --channels keep); nothing was written",
            f"{place}{root.label} imports {text}, outside the repository, which a flake cannot read (copy it into "
            "the repository and import it by a relative path to get a flake)")


def _literal_place(analysis, root, text: str) -> str:
    for path in sorted(root.files):
        for literal in analysis.graph.index_of(path).paths:
            if literal.text == text:
                return f"{path}:{analysis.evaluator.parse(path).line_col(literal.start)[0]}: "
    return ""


def entry_of(root) -> str:
    return root.entries[0][0].force().path


def _entry_text(root, path_map) -> str:
    """The root's entry file (or its folder, for a default.nix) at its new place, from the top."""
    from migrate.plan.paths import nix_path

    entry = entry_of(root)
    target = path_map.target(entry) or entry
    if target.endswith("/default.nix"):
        target = target[: -len("/default.nix")]
    return nix_path(target, "")


def release_of(analysis, required: bool = True) -> tuple[str, str]:
    """The release the inputs are pinned to, and where it was read. Among several hosts,
    the newest stateVersion: a channel is at least as new as the release a machine was
    installed with, and stateVersion keeps the install's release."""
    found = {}
    for host in analysis.hosts.values():
        release = host_release(analysis, host)
        if release is not None:
            found[host.name] = release
    if not found and not required:
        return None, "no stateVersion names it"
    if not found:
        entries = ", ".join(sorted({entry_of(host) for host in analysis.hosts.values()}))
        raise FlakeImpossible(
            f"{entries}: cannot tell which release to pin the flake's nixpkgs and home-manager to: "
            "neither system.stateVersion nor home.stateVersion is set to a plain \"YY.MM\" string; set "
            "system.stateVersion to the release of root's nixos channel (`sudo nix-channel --list`), "
            "commit, and run again (or stay on channels: --channels keep); nothing was written",
            f"{entries}: no system.stateVersion or home.stateVersion names the release a flake would pin (set "
            "system.stateVersion to the release of root's nixos channel to get a flake)")
    newest = max(found.values())
    written = {_root_release(analysis, host, []) for host in analysis.hosts.values()} - {None}
    if len(set(found.values())) == 1:
        odd = sorted(v for v in written if v not in found.values())
        return newest, ("from stateVersion" if not odd else
                        f"from stateVersion {', '.join(odd)}, which names no release: the next one is {newest}")
    per_host = ", ".join(f"{host} {release}" for host, release in sorted(found.items()))
    return newest, f"the newest stateVersion of the hosts: {per_host}; every host now follows it"


def host_release(analysis, host):
    """The release one host's stateVersion names (else its users'), or None."""
    homes = [h for h in analysis.homes.values() if host.name in h.hosts and not h.integrated]
    value = _root_release(analysis, host, homes)
    return release_at_or_after(value) if value is not None else None


def release_at_or_after(version: str) -> str:
    """The first NixOS release not older than VERSION ("YY.MM"): a stateVersion typed on
    unstable (21.03) names no branch; its machine followed at least the next release.
    Releases were YY.03 and YY.09 until 20.09, YY.05 and YY.11 since."""
    year, month = (int(part) for part in version.split("."))
    if year < 16:
        return version  # irregular before 16.03, and older than Home Manager
    months = (3, 9) if year <= 20 else (5, 11)
    for candidate in months:
        if month <= candidate:
            return f"{year:02d}.{candidate:02d}"
    return f"{year + 1:02d}.{(3 if year + 1 <= 20 else 5):02d}"


def _root_release(analysis, host, homes):
    for root, names in [(host, ("system", "stateVersion"))] + [(h, ("home", "stateVersion")) for h in homes]:
        for path in sorted(root.files):
            nix = analysis.evaluator.parse(path)
            value = query.string_binding(query.module_attrs(nix), names, nix)
            if value and _RELEASE.match(value):
                return value
    return None


def module_nixpkgs(findings) -> bool:
    return any(f.rule_id == "HM001" and f.data.get("source") == "module" for f in findings)


def _flake_text(hosts, channels: set[str], release: str, pass_inputs: bool, extension: str) -> str:
    """HOSTS: (root, entry path text, HostWiring or None for a host without Home Manager users)."""
    inputs = [f'    nixpkgs.url = "{channel_url("nixpkgs", release)}";', "    home-manager = {",
              f'      url = "{channel_url("home-manager", release)}";', '      inputs.nixpkgs.follows = "nixpkgs";', "    };"]
    for channel in sorted(channels):
        if input_name(channel) == "nixpkgs":
            continue
        url = channel_url(channel, release)
        inputs.append(f"    {emit.attr_key(input_name(channel))}.url = \"{url}\";")
    names = [host.name for host, _entry, _wiring in hosts]
    described = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        "{\n"
        f"  description = \"NixOS configuration of {described}, with Home Manager as a NixOS module\";\n\n"
        "  # Created by hm-migrate from a channels setup: the inputs replace the channels\n"
        f"  # (pinned to release {release}, from stateVersion; check `sudo nix-channel --list`).\n"
        "  inputs = {\n" + "\n".join(inputs) + "\n  };\n\n"
        "  outputs =\n"
        "    { self, nixpkgs, home-manager, ... }@inputs:\n"
        "    {\n"
        + "\n".join(_host_text(host, entry, wiring, pass_inputs, extension) for host, entry, wiring in hosts) +
        "    };\n"
        "}\n"
    )


def _host_text(host, entry: str, wiring, pass_inputs: bool, extension: str) -> str:
    """One host as the Home Manager manual writes it: the NixOS module and the host's
    `home-manager` settings in its `modules` list."""
    system_line = f'        system = "{host.system}";\n' if host.system else ""
    special = "        specialArgs = { inherit inputs; };\n" if pass_inputs else ""
    if wiring is None:
        modules = f"        modules = [ {entry} ];\n"
    else:
        modules = ("        modules = [\n"
                   f"          {entry}\n"
                   "          home-manager.nixosModules.home-manager\n"
                   f"          {wiring.settings_module('          ', extension)}\n"
                   "        ];\n")
    return (f"      # sudo nixos-rebuild switch --flake .#{host.name}\n"
            f"      nixosConfigurations.{emit.attr_key(host.name)} = nixpkgs.lib.nixosSystem {{\n"
            + system_line + special + modules + "      };\n")
