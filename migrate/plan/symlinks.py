"""Relative symlinks keep pointing at the same thing after the migration.

A symlink's target is resolved from the folder the link sits in, so a link that
moves, or whose target moves, would otherwise dangle or point at something else.
The target is rewritten lexically (nothing is read, whether it lies inside the
repository or outside it): it is resolved against the link's old folder, mapped
through the moves when it lies inside the repository, and made relative again to
the link's new folder. Absolute targets are kept as they are.
"""

from __future__ import annotations

import posixpath

from migrate.errors import MigrateError
from migrate.snapshot import display_path


def retargeted(snapshot, old_link: str, new_link: str, new_path_of: dict[str, str]) -> bytes:
    """The stored target of the symlink OLD_LINK once it lives at NEW_LINK.

    NEW_PATH_OF maps every moved repository path to its new path."""
    raw = snapshot.raw_bytes(old_link)
    target = snapshot.link_target(old_link)
    if not target or target.startswith("/"):
        return raw
    pointed = _lexical(_parts(posixpath.dirname(old_link)) + _parts(target))
    leaves = bool(pointed) and pointed[0] == ".."  # beside the repository: nothing there moves
    now = pointed if leaves else _new_location(snapshot, pointed, new_path_of, old_link, target)
    if new_link == old_link and now == pointed:
        return raw
    new_target = _relative(now, _parts(posixpath.dirname(new_link)))
    if target.endswith("/") and new_target != "." and not new_target.endswith("/"):
        new_target += "/"
    return new_target.encode("utf-8", "surrogateescape")


def _parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part not in ("", ".")]


def _lexical(parts: list[str]) -> list[str]:
    """PARTS with 'x/..' folded; leading '..' kept (they leave the repository)."""
    folded: list[str] = []
    for part in parts:
        if part == ".." and folded and folded[-1] != "..":
            folded.pop()
        else:
            folded.append(part)
    return folded


def _relative(parts: list[str], start: list[str]) -> str:
    """The relative path from folder START to PARTS (both from the repository's top)."""
    common = 0
    if not parts or parts[0] != "..":
        while common < min(len(parts), len(start)) and parts[common] == start[common]:
            common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:]) or "."


def _new_location(snapshot, pointed: list[str], new_path_of: dict[str, str], link: str, target: str) -> list[str]:
    path = "/".join(pointed)
    if not path:
        return pointed
    if path in new_path_of:
        return _parts(new_path_of[path])
    prefix = path + "/"
    inside = [p for p in snapshot.paths() if p.startswith(prefix)]
    moved = [p for p in inside if new_path_of.get(p, p) != p]
    if not moved or len(moved) < len(inside):
        return pointed  # the folder stays (maybe with fewer files), so the link keeps pointing at it
    folders = set()
    for old in moved:
        rest = old[len(prefix):]
        new = new_path_of[old]
        folders.add(new[: -len(rest) - 1] if new.endswith("/" + rest) else None)
    if len(folders) == 1 and None not in folders:
        return _parts(folders.pop())
    raise MigrateError(
        f"{display_path(link)}: symlink to {display_path(target)}, a folder whose files the migration "
        "spreads over several places; replace the symlink by links to the files, or remove it, and run again"
    )
