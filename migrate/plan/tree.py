"""The planned tree: new path -> bytes, with unchanged files read only when asked for."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Optional


class _Carried:
    __slots__ = ("old",)

    def __init__(self, old: str):
        self.old = old


class PlannedTree(MutableMapping):
    """Every file of the migrated repository by its new path.

    A file carried over unchanged (moved or not) keeps a reference to its old path and
    is read from the snapshot when its bytes are first asked for. A dry run of a plain
    directory then never opens the thousands of assets it only moves: one open costs
    more than everything else done for such a file. Writing the tree reads them all.
    """

    def __init__(self, snapshot):
        self._snapshot = snapshot
        self._entries: dict[str, object] = {}  # bytes, or _Carried

    def carry(self, new: str, old: str) -> None:
        """`new` holds the regular file `old` of the snapshot, byte for byte."""
        self._entries[new] = _Carried(old)

    def carried_from(self, new: str) -> Optional[str]:
        """The old path whose bytes `new` holds unchanged, when it was carried over."""
        entry = self._entries.get(new)
        return entry.old if isinstance(entry, _Carried) else None

    @property
    def source(self):
        """The snapshot that carried files are read from."""
        return self._snapshot

    def listing(self) -> Iterator[tuple[str, Optional[bytes], Optional[str]]]:
        """(new path, bytes, None) or, for a carried file, (new path, None, old path); reads nothing."""
        for path, entry in self._entries.items():
            if isinstance(entry, _Carried):
                yield path, None, entry.old
            else:
                yield path, entry, None

    def size(self, path: str) -> int:
        entry = self._entries[path]
        return self._snapshot.size(entry.old) if isinstance(entry, _Carried) else len(entry)

    def __getitem__(self, path: str) -> bytes:
        entry = self._entries[path]
        return self._snapshot.read_bytes(entry.old) if isinstance(entry, _Carried) else entry

    def __setitem__(self, path: str, data: bytes) -> None:
        self._entries[path] = data

    def __delitem__(self, path: str) -> None:
        del self._entries[path]

    def __contains__(self, path) -> bool:
        return path in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        carried = sum(isinstance(e, _Carried) for e in self._entries.values())
        return f"PlannedTree({len(self._entries)} files, {carried} carried over unchanged)"
