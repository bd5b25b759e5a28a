"""A read-only view of the repository's files, keyed by repo-relative POSIX path.

Everything the analysis reads goes through a snapshot, so the tool reads
exactly one version of the repository (a directory, or a git commit) and can
never wander outside it: paths are normalised lexically and anything that
leaves the root, or a symlink that points out of it, is refused.
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterable, Optional

from migrate.errors import MigrateError

REGULAR, DIRECTORY, SYMLINK = "regular", "directory", "symlink"


class OutsideRepository(MigrateError):
    pass


@lru_cache(maxsize=1 << 16)  # pure; the analysis asks for the same few paths over and over
def normalize(path: str) -> Optional[str]:
    """Lexically normalise a repo-relative path; None if it leaves the repository."""
    if path.startswith("/"):
        return None
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def join(directory: str, relative: str) -> Optional[str]:
    return normalize(posixpath.join(directory, relative) if directory else relative)


@dataclass
class _Entry:
    kind: str  # REGULAR or SYMLINK
    size: int
    load: Callable[[], bytes]
    executable: bool = False


class Snapshot:
    """Files of one repository version. Paths never start with '/' or contain '..'."""

    def __init__(self, entries: dict[str, _Entry], label: str):
        _refuse_undecodable_names(entries)
        self._entries = entries
        self.label = label
        self._cache: dict[str, bytes] = {}
        self._resolved: dict[str, Optional[str]] = {}  # resolve() results (the snapshot never changes)
        self._has_symlinks = any(entry.kind == SYMLINK for entry in entries.values())
        self._dirs: dict[str, dict[str, str]] = {"": {}}
        for path in entries:
            parent, _, name = path.rpartition("/")
            self._dirs.setdefault(parent, {})[name] = entries[path].kind
            while parent:
                grand, _, dname = parent.rpartition("/")
                children = self._dirs.setdefault(grand, {})
                if children.get(dname) == DIRECTORY:
                    break
                children[dname] = DIRECTORY
                self._dirs.setdefault(parent, {})
                parent = grand

    # -- queries -----------------------------------------------------------
    def paths(self) -> list[str]:
        return sorted(self._entries)

    def nix_files(self) -> list[str]:
        return sorted(p for p, e in self._entries.items() if p.endswith(".nix") and e.kind == REGULAR)

    def is_file(self, path: str) -> bool:
        resolved = self.resolve(path)
        return resolved is not None and resolved in self._entries

    def is_dir(self, path: str) -> bool:
        resolved = self.resolve(path)
        return resolved is not None and resolved in self._dirs

    def exists(self, path: str) -> bool:
        return self.is_file(path) or self.is_dir(path)

    def is_symlink(self, path: str) -> bool:
        entry = self._entries.get(path)
        return entry is not None and entry.kind == SYMLINK

    def listdir(self, path: str) -> dict[str, str]:
        """Entries of a directory as name -> 'regular' | 'directory' | 'symlink'."""
        resolved = self.resolve(path)
        if resolved is None or resolved not in self._dirs:
            raise FileNotFoundError(path)
        return dict(self._dirs[resolved])

    def size(self, path: str) -> int:
        resolved = self.resolve(path)
        if resolved is None or resolved not in self._entries:
            raise FileNotFoundError(path)
        return self._entries[resolved].size

    def is_executable(self, path: str) -> bool:
        entry = self._entries.get(path)
        return bool(entry and entry.executable)

    def read_bytes(self, path: str) -> bytes:
        resolved = self.resolve(path)
        if resolved is None:
            raise OutsideRepository(f"{path}: symlink points outside the repository")
        if resolved not in self._entries:
            raise FileNotFoundError(path)
        data = self._cache.get(resolved)
        if data is None:
            data = self._entries[resolved].load()
            self._cache[resolved] = data
        return data

    def stored_bytes(self, path: str) -> bytes:
        """What git stores for PATH: a symlink's target text, else the file's bytes."""
        return self.raw_bytes(path) if self.is_symlink(path) else self.read_bytes(path)

    def link_target(self, path: str) -> str:
        return self._entries[path].load().decode("utf-8", "surrogateescape")

    def raw_bytes(self, path: str) -> bytes:
        """The stored bytes of an entry itself (a symlink's target text, not its referent)."""
        return self._entries[path].load()

    def resolve(self, path: str, _depth: int = 0) -> Optional[str]:
        """Follow symlinks inside the snapshot; None when a link leaves it or loops."""
        if _depth == 0:
            try:
                return self._resolved[path]
            except KeyError:
                pass
            resolved = self._resolved[path] = (self._resolve(path, 0) if self._has_symlinks else normalize(path))
            return resolved
        return self._resolve(path, _depth)

    def _resolve(self, path: str, _depth: int) -> Optional[str]:
        path = normalize(path)
        if path is None or _depth > 40:
            return None
        parts = path.split("/") if path else []
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            entry = self._entries.get(prefix)
            if entry is not None and entry.kind == SYMLINK:
                target = entry.load().decode("utf-8", "surrogateescape")
                parent = "/".join(parts[: i - 1])
                joined = join(parent, target) if not target.startswith("/") else None
                if joined is None:
                    return None
                rest = "/".join(parts[i:])
                return self.resolve(posixpath.join(joined, rest) if rest else joined, _depth + 1)
        return path


def display_path(path: str) -> str:
    """PATH for a message: bytes that are not UTF-8 (kept by the filesystem and git as
    surrogate escapes) shown as \\xNN instead of making the message unprintable."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _refuse_undecodable_names(entries) -> None:
    # Every report, diff, commit message and MIGRATION.md names files as text; a name
    # that is not UTF-8 cannot be written into any of them, nor into a Nix path literal.
    for path in entries:
        if not path.isascii():
            try:
                path.encode("utf-8")
            except UnicodeEncodeError:
                raise MigrateError(f"{display_path(path)}: file name is not valid UTF-8; "
                                   "rename the file and run again") from None


def _read(path: str) -> bytes:
    # Plain open(): pathlib's path parsing costs more than the read for small files.
    with open(path, "rb") as handle:
        return handle.read()


def from_directory(root: Path, skip: Iterable[str] = (".git",)) -> Snapshot:
    """Snapshot a working directory without following any symlink."""
    root = Path(root)
    if not root.is_dir():
        raise MigrateError(f"{root}: not a directory")
    skip = set(skip)
    entries: dict[str, _Entry] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")
        kept = []
        for d in dirnames:
            full = os.path.join(dirpath, d)
            if d in skip and not rel_dir:
                continue
            if os.path.islink(full):
                filenames.append(d)
            else:
                kept.append(d)
        dirnames[:] = sorted(kept)
        for name in filenames:
            full = os.path.join(dirpath, name)
            rel = f"{rel_dir}/{name}" if rel_dir else name
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                target = os.readlink(full)
                entries[rel] = _Entry(SYMLINK, len(target), lambda t=target: os.fsencode(t))
            elif stat.S_ISREG(st.st_mode):
                entries[rel] = _Entry(
                    REGULAR, st.st_size, lambda f=full: _read(f), bool(st.st_mode & 0o111)
                )
    return Snapshot(entries, str(root))


def from_mapping(files: dict[str, bytes | str], label: str = "<memory>",
                 modes: Optional[dict[str, int]] = None) -> Snapshot:
    """Snapshot from an in-memory mapping (git MODES: 0o120000 symlink, 0o100755
    executable); used for planned trees and tests."""
    entries = {}
    modes = modes or {}
    if hasattr(files, "listing"):  # a PlannedTree: files carried over unchanged stay unread
        source = files.source
        listing = files.listing()
    else:
        listing = ((path, content, None) for path, content in files.items())
    for path, content, old in listing:
        mode = modes.get(path)
        if old is not None:
            size, load = source._entries[old].size, partial(source.read_bytes, old)
        else:
            data = content.encode("utf-8") if isinstance(content, str) else content
            size, load = len(data), (lambda d=data: d)
        entries[path] = _Entry(SYMLINK if mode == 0o120000 else REGULAR, size, load, mode == 0o100755)
    return Snapshot(entries, label)
