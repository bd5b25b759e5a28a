"""Which paths lie under each folder, computed once.

The planner asks "everything under this folder" for hundreds of folders of a
repository that may hold tens of thousands of files; scanning every path per
question made planning quadratic in the size of the repository.
"""

from __future__ import annotations

from typing import Iterable


class FolderIndex:
    def __init__(self, paths: Iterable[str]):
        self._under: dict[str, list[str]] = {}
        for path in sorted(paths):
            parts = path.split("/")
            for depth in range(1, len(parts)):
                self._under.setdefault("/".join(parts[:depth]), []).append(path)
            self._under.setdefault("", []).append(path)

    def under(self, folder: str) -> list[str]:
        """The paths strictly inside FOLDER ("" is the repository), in sorted order."""
        return self._under.get(folder, [])
