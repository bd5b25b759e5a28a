"""Text that names a moved file by its old path (README, justfile, scripts, comments).

Such text is not code the migration can rewrite safely, and a reader following an
old path after the migration finds nothing there; the report lists each place so
that the user can update it.
"""

from __future__ import annotations

import re

_PATH_LIKE = re.compile(r"[A-Za-z0-9_.@+-]+(?:/[A-Za-z0-9_.@+-]+)+")
_TEXT_FILE = re.compile(r"(^|/)(README[^/]*|justfile|Justfile|Makefile|makefile|[^/]*\.(md|txt|sh|bash|fish|zsh|just|mk|nix|toml|yaml|yml))$")
_LARGEST = 512 * 1024
_SHOWN = 30


def old_path_mentions(snapshot, path_map) -> list[str]:
    """'file:line names old (now new)' for text files (.nix comments included) that name
    a moved file or folder by its repository path; at most a few dozen, then a count."""
    # A moved path starts with the top folder of some move: anything else is skipped
    # before asking the snapshot (a large repository has thousands of candidates).
    tops = {old.split("/", 1)[0] for old in path_map.moves}
    found: list[str] = []
    for path in snapshot.paths():
        if not _TEXT_FILE.search(path) or snapshot.is_symlink(path):
            continue
        try:
            if snapshot.size(path) > _LARGEST:
                continue
            text = snapshot.read_bytes(path).decode("utf-8")
        except (UnicodeDecodeError, OSError, ValueError):
            continue
        # Nix code is rewritten; only its comments can keep an old path.
        spans = _COMMENT.finditer(text) if path.endswith(".nix") else [None]
        for span in spans:
            start, end = (span.start(), span.end()) if span is not None else (0, len(text))
            for match in _PATH_LIKE.finditer(text, start, end):
                name = match.group(0).removeprefix("./").rstrip(".")
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


def _new_place(snapshot, path_map, name: str):
    if snapshot.is_file(name):
        return path_map.file(name)
    if snapshot.is_dir(name):
        return path_map.folder(name) or "split across new folders"
    return None
