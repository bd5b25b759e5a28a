"""The repository's text files a reader acts on (docs, scripts, Nix), for the notes.

Old paths and stale commands are looked for in the same files: READMEs, justfiles,
Makefiles, shell scripts, Markdown, Nix and small config formats, up to 512 KiB, valid
UTF-8, not symlinks (what a link names is listed at its own path).
"""

from __future__ import annotations

import re
from typing import Iterator

TEXT_FILE = re.compile(r"(^|/)(README[^/]*|justfile|Justfile|Makefile|makefile|[^/]*\.(md|txt|sh|bash|fish|zsh|just|mk|nix|toml|yaml|yml))$")
_LARGEST = 512 * 1024


def text_files(snapshot) -> Iterator[tuple[str, str]]:
    """(path, text) of each such file, in path order."""
    for path in snapshot.paths():
        if not TEXT_FILE.search(path) or snapshot.is_symlink(path):
            continue
        try:
            if snapshot.size(path) > _LARGEST:
                continue
            text = snapshot.read_bytes(path).decode("utf-8")
        except (UnicodeDecodeError, OSError, ValueError):
            continue
        yield path, text
