"""File roles (system, host:<name>, user, shared, other, orphan) with their reasons.

The role comes from which roots reach a file, never from its name or folder:
a `home.nix` that only a NixOS host imports is a system module. The option
namespaces a file sets are supporting evidence, and a contradiction between
the two is flagged rather than silently resolved.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from typing import Callable, Iterable

from migrate.analyze.model import FileInfo, Root

# Option namespaces that exist on only one side; a file setting one of these on the
# other side is probably misplaced (or the analysis missed an edge).
NIXOS_ONLY = (
    "boot", "fileSystems", "swapDevices", "networking", "hardware", "users", "environment",
    "system", "security", "virtualisation", "powerManagement", "console", "time",
    "zramSwap", "services.xserver", "services.openssh",
    "services.pipewire", "services.printing", "services.tailscale", "home-manager",
)
HOME_ONLY = ("home", "targets", "wayland.windowManager", "accounts", "xsession")
# Checked for every namespace of every file: as sets, one lookup per dotted prefix.
NIXOS_ONLY_SET = frozenset(NIXOS_ONLY)
HOME_ONLY_SET = frozenset(HOME_ONLY)


def _matches(namespace: str, prefixes: Iterable[str]) -> bool:
    """Whether NAMESPACE is one of PREFIXES or inside one (`services.openssh.ports` in `services.openssh`)."""
    return _matches_set(namespace, prefixes if isinstance(prefixes, frozenset) else frozenset(prefixes))


@lru_cache(maxsize=1 << 14)  # every file is checked, and files set the same few namespaces
def _matches_set(namespace: str, known: frozenset) -> bool:
    parts = namespace.split(".")
    return any(".".join(parts[:n]) in known for n in range(1, len(parts) + 1))


def _chain_text(chain: tuple[str, ...]) -> str:
    return " -> ".join(chain)


def classify(
    nix_files: list[str],
    hosts: dict[str, Root],
    homes: dict[str, Root],
    flake_level: set[str],
    entry_of_host: dict[str, str],
    namespaces_of: Callable[[str], list[str]],
    unparsable: dict[str, str] | None = None,
) -> dict[str, FileInfo]:
    reached_by: dict[str, list[Root]] = {}
    for root in list(hosts.values()) + list(homes.values()):
        for path in root.files:
            reached_by.setdefault(path, []).append(root)

    files: dict[str, FileInfo] = {}
    for path in nix_files:
        roots = reached_by.get(path, [])
        info = FileInfo(path=path, role="orphan")
        info.namespaces = namespaces_of(path)
        host_roots = [r for r in roots if r.kind == "nixos"]
        home_roots = [r for r in roots if r.kind == "home"]
        for root in roots:
            reach = root.files[path]
            condition = ""
            if reach.conditional:
                conditions = sorted({c for e in reach.edges for c in e.conditions})
                condition = f" (only if {' / '.join(conditions)})" if conditions else " (conditionally)"
            info.reasons.append(f"{root.label}: {_chain_text(reach.chain)}{condition}")
        if path in flake_level:
            info.role = "other"
            info.reasons.insert(0, "evaluated by the flake itself, not as a module")
        elif host_roots and home_roots:
            info.role = "shared"
        elif home_roots:
            info.role = "user"
        elif host_roots:
            info.role = _system_role(path, host_roots, hosts, entry_of_host)
        else:
            info.reasons.append("no host or Home Manager configuration imports it")
            if unparsable and path in unparsable:
                info.reasons.append(f"not valid Nix ({unparsable[path]}): carried as it is")
        info.summary = _summary(info, path, roots)
        _flag_contradictions(info)
        files[path] = info
    return files


def _summary(info: FileInfo, path: str, roots: list[Root]) -> str:
    """One line for the terminal table; the full chains stay in `reasons`."""
    if info.role == "other":
        return "evaluated by the flake itself (not a module)"
    if not roots:
        return "nothing imports it"
    hosts = sorted(r.name for r in roots if r.kind == "nixos")
    homes = sorted(r.name for r in roots if r.kind == "home")
    parts = []
    if hosts:
        parts.append(("host " if len(hosts) == 1 else "hosts ") + _names(hosts))
    if homes:
        parts.append(("home " if len(homes) == 1 else "homes ") + _names(homes))
    importers = sorted({e.importer for r in roots for e in r.files[path].edges})
    text = "used by " + " and ".join(parts)
    if importers == [path]:
        # A channels entry: the command line names it (nixos-rebuild -I, home-manager -f).
        text += "; its entry file"
    elif importers:
        text += "; imported from " + _names([i for i in importers if i != path])
    if all(r.files[path].conditional for r in roots):
        text += "; only under a condition"
    return text


def _names(names: list[str], shown: int = 3) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


def _system_role(path: str, host_roots: list[Root], hosts: dict[str, Root], entry_of_host: dict[str, str]) -> str:
    names = sorted({r.name for r in host_roots})
    if len(names) != 1:
        return "system"
    host = names[0]
    if len(hosts) >= 2 or entry_of_host.get(host) == path or posixpath.basename(path) == "hardware-configuration.nix":
        return f"host:{host}"
    return "system"


def _flag_contradictions(info: FileInfo) -> None:
    if info.role == "user":
        bad = [n for n in info.namespaces if _matches(n, NIXOS_ONLY_SET)]
        if bad:
            info.flags.append(f"a Home Manager module setting NixOS-only options: {', '.join(bad)}")
    elif info.role == "system" or info.role.startswith("host:"):
        bad = [n for n in info.namespaces if _matches(n, HOME_ONLY_SET)]
        if bad:
            info.flags.append(f"a NixOS module setting Home Manager-only options: {', '.join(bad)}")
