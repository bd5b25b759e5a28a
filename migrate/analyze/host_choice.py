"""Machines a channels setup picks outside its Nix code: by a symlink, or a copied file.

One `configuration.nix` often serves every machine and reads the machine's own files
through a link (`./host/hardware-configuration.nix` with `host -> hosts/laptop`,
`./boot-loader.nix -> laptop/boot-loader.nix`), through a copy of them
(`nixos/hardware-configuration.nix`, the same bytes as `nixos/laptop/...`), or through a
file each machine copies in and git does not track. The folders of the machines share
their shape: the chosen one beside others that hold files of the same names.

The analysis reads the machine the repository picks now; the plan keeps the links, the
copies and the machines' folders where they are (so the choice keeps working) and
reports the other machines, which one flake host cannot build.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Optional

from migrate.snapshot import join

SYMLINK, COPY, UNTRACKED = "symlink", "copy", "untracked"


@dataclass
class HostChoice:
    kind: str  # SYMLINK, COPY or UNTRACKED
    # (what the host's files name, what it is): the link and its target, the copy and
    # its source, or the path git does not track and its file name
    links: list[tuple[str, str]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # file:line of the literals that name them
    chosen: Optional[str] = None  # the folder of the machine the repository picks now
    machines: list[str] = field(default_factory=list)  # every folder of that shape, sorted

    @property
    def others(self) -> list[str]:
        return [folder for folder in self.machines if folder != self.chosen]

    def pinned(self) -> list[str]:
        """The paths the migration must not move: the links or copies, and the machines."""
        return sorted({link for link, _target in self.links} | set(self.machines))


def host_choice(snapshot, index_of, files, reached: set[str], entries=()) -> Optional[HostChoice]:
    """How the root whose files are FILES (repo paths it reads) picks its machine, or
    None when its Nix code says it all. REACHED: every file some configuration reads;
    ENTRIES: the entry files as the command line names them (`configuration.nix`,
    maybe a link to hosts/laptop/configuration.nix)."""
    found: dict[str, HostChoice] = {}
    for entry in entries:
        link = _link_on_the_way(snapshot, entry)
        if link is not None:
            _add(found, SYMLINK, link, entry, _machines_of_link(snapshot, link))
    for path in sorted(files):
        if not path.endswith(".nix"):
            continue
        directory = posixpath.dirname(path)
        nix = index_of(path).file
        for literal in index_of(path).paths:
            if literal.kind != "relative" or literal.interpolated:
                continue
            target = join(directory, literal.text)
            if target is None:
                continue
            place = f"{path}:{nix.line_col(literal.start)[0]}"
            link = _link_on_the_way(snapshot, target)
            if link is not None and _reads_through(snapshot, target, files):
                _add(found, SYMLINK, link, place, _machines_of_link(snapshot, link))
            elif not snapshot.exists(target) and target.endswith(".nix"):
                machines = _folders_holding(snapshot, posixpath.dirname(target), posixpath.basename(target))
                if machines:
                    _add(found, UNTRACKED, (target, posixpath.basename(target)), place, (None, machines))
    by_name: dict[str, list[str]] = {}
    for candidate in snapshot.nix_files():
        if candidate not in reached:
            by_name.setdefault(posixpath.basename(candidate), []).append(candidate)
    for path in sorted(files):
        copied = _copied_from(snapshot, path, by_name.get(posixpath.basename(path), ()))
        if copied is not None:
            source, machines = copied
            _add(found, COPY, (path, source), path, (posixpath.dirname(source), machines))
    if not found:
        return None
    # One way of choosing per host; links say the most, untracked files the least.
    return next(found[kind] for kind in (SYMLINK, COPY, UNTRACKED) if kind in found)


def _add(found: dict, kind: str, link: tuple[str, str], place: str, chosen_machines) -> None:
    chosen, machines = chosen_machines
    choice = found.setdefault(kind, HostChoice(kind))
    if link not in choice.links:
        choice.links.append(link)
    if place not in choice.places:
        choice.places.append(place)
    if chosen is not None and choice.chosen is None:
        choice.chosen = chosen
    choice.machines = sorted(set(choice.machines) | set(machines) | ({chosen} if chosen else set()))


def _link_on_the_way(snapshot, path: str) -> Optional[tuple[str, str]]:
    """(link, its target) for the first symlink of the repository on PATH (the path
    itself or a folder above it) that leads to a place inside it; else None."""
    parts = path.split("/")
    real_parent = ""
    for index, name in enumerate(parts):
        real = f"{real_parent}/{name}" if real_parent else name
        if snapshot.is_symlink(real):
            target = snapshot.resolve(real)
            return (real, target) if target is not None else None
        real_parent = real
        if index < len(parts) - 1 and not snapshot.is_dir(real):
            return None
    return None


def _machines_of_link(snapshot, link: tuple[str, str]):
    """The folder a link picks, and the folders beside it of the same shape: for a
    folder link the folders next to its target, for a file link those next to the
    target's folder that hold a file of that name."""
    _link, target = link
    if snapshot.is_dir(target):
        siblings = _subfolders(snapshot, posixpath.dirname(target))
        return target, [folder for folder in siblings if _shares_a_file(snapshot, folder, target)]
    folder = posixpath.dirname(target)
    return folder, _folders_holding(snapshot, posixpath.dirname(folder), posixpath.basename(target))


def _reads_through(snapshot, target: str, files) -> bool:
    """Whether the host reads a module through TARGET (a file, or a folder's file):
    a link to a wallpaper or a script picks no machine."""
    real = snapshot.resolve(target)
    if real is None:
        return False
    if real in files:
        return True
    prefix = real + "/"
    return snapshot.is_dir(real) and any(path.startswith(prefix) for path in files)


def _copied_from(snapshot, path: str, unread: list[str]):
    """(source, machines) when PATH is a copy of a file of a machine folder that nothing
    reads (UNREAD: such files of its name): the same bytes, in a folder beside others
    holding that name."""
    if not unread or snapshot.is_symlink(path) or not snapshot.is_file(path):
        return None
    name = posixpath.basename(path)
    size = snapshot.size(path)
    data = None
    for candidate in unread:
        if posixpath.dirname(candidate) == posixpath.dirname(path) or snapshot.size(candidate) != size:
            continue
        data = data if data is not None else snapshot.read_bytes(path)
        if snapshot.read_bytes(candidate) != data:
            continue
        folder = posixpath.dirname(candidate)
        machines = _folders_holding(snapshot, posixpath.dirname(folder), name)
        if len(machines) >= 2:
            return candidate, machines
    return None


def _subfolders(snapshot, folder: str) -> list[str]:
    try:
        entries = snapshot.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(posixpath.join(folder, name) if folder else name
                  for name, kind in entries.items() if kind == "directory")


def _folders_holding(snapshot, folder: str, name: str) -> list[str]:
    """The sub-folders of FOLDER (not through links) that hold a file NAME."""
    return [sub for sub in _subfolders(snapshot, folder) if snapshot.is_file(f"{sub}/{name}")]


def _shares_a_file(snapshot, folder: str, chosen: str) -> bool:
    if folder == chosen:
        return True
    try:
        names = {name for name, kind in snapshot.listdir(chosen).items() if kind != "directory"}
        return any(snapshot.exists(f"{folder}/{name}") for name in names if name.endswith(".nix"))
    except FileNotFoundError:
        return False
