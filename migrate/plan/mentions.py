"""Text that names a moved file by its old path (README, justfile, scripts, comments).

Such text is not code the migration can rewrite safely, and a reader following an
old path after the migration finds nothing there; the report lists each place so
that the user can update it.
"""

from __future__ import annotations

import posixpath
import re

from migrate.plan.paths import nix_path
from migrate.plan.text_files import text_files
from migrate.snapshot import join

_PATH_LIKE = re.compile(r"[A-Za-z0-9_.@+-]+(?:/[A-Za-z0-9_.@+-]+)+")
_SHOWN = 30


def old_path_mentions(snapshot, path_map) -> list[str]:
    """'file:line names old (now new)' for text files (.nix comments included) that name
    a moved file or folder by its repository path; at most a few dozen, then a count."""
    # A moved path starts with the top folder of some move: anything else is skipped
    # before asking the snapshot (a large repository has thousands of candidates).
    tops = {old.split("/", 1)[0] for old in path_map.moves}
    found: list[str] = []
    for path, text in text_files(snapshot):
        # Nix code is rewritten; only its comments can keep an old path.
        is_nix = path.endswith(".nix")
        spans = _commented_paths(text) if is_nix else [(0, len(text))]
        for start, end in spans:
            for match in _PATH_LIKE.finditer(text, start, end):
                written = match.group(0)
                relative = written.rstrip(".")
                if is_nix and relative.startswith(("./", "../")) and snapshot.exists(
                        join(posixpath.dirname(path), relative) or "/"):
                    # A commented-out import (`# ./nvidia.nix`) is relative to its file;
                    # a command line in a comment (`-- ./hosts/x.nix`) to the top, below.
                    stale = _stale_relative(snapshot, path_map, path, relative)
                    if stale is not None:
                        line = text.count("\n", 0, match.start()) + 1
                        found.append(f"{path}:{line} names {relative} (now {stale} from {path_map.file(path)})")
                    continue
                name = written.removeprefix("./").rstrip(".")
                if name.split("/", 1)[0] not in tops:
                    continue
                new = _new_place(snapshot, path_map, name)
                if new is not None and new != name:
                    line = text.count("\n", 0, match.start()) + 1
                    found.append(f"{path}:{line} names {name} (now {new})")
    if len(found) > _SHOWN:
        found = found[:_SHOWN] + [f"... and {len(found) - _SHOWN} more"]
    return found


_COMMENT = re.compile(r"#[^\n]*|/\*.*?\*/", re.S)


def _commented_paths(text: str) -> list[tuple[int, int]]:
    """The comments of a Nix file that can name a path (every path has a '/'): most
    comments have none, and a large repository has tens of thousands of comments."""
    return [(start, end) for start, end in map(re.Match.span, _COMMENT.finditer(text))
            if text.find("/", start, end) >= 0]


def _stale_relative(snapshot, path_map, path: str, written: str):
    """The text that names, from `path`'s new place, what `written` names from its old
    place, when the two differ; None when it still names the same thing, or nothing."""
    directory = posixpath.dirname(path)
    target = join(directory, written)
    if target is None or not target:
        return None
    new_target = _new_place(snapshot, path_map, target)
    if new_target is None or new_target == "split across new folders":
        return None
    new_directory = posixpath.dirname(path_map.file(path))
    if join(new_directory, written) == new_target:
        return None
    return nix_path(new_target, new_directory)


def _new_place(snapshot, path_map, name: str):
    if snapshot.is_file(name):
        return path_map.file(name)
    if snapshot.is_dir(name):
        return path_map.folder(name) or "split across new folders"
    return None
