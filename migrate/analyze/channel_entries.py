"""Entry files of a channels setup kept in per-host folders.

Without a flake, `nixos-rebuild` and `home-manager switch` are pointed at an entry file
from the command line (`-I nixos-config=hosts/laptop/configuration.nix`, `-f
hosts/laptop/home.nix`), so the repository itself does not say which files are entries.
A `configuration.nix` or `home.nix` that no other Nix file of the repository names is
one: a file that another one imports is a part of that one's configuration.
"""

from __future__ import annotations

import posixpath

from migrate.nix import query
from migrate.snapshot import join

# Deeper than hosts/<group>/<host>/configuration.nix is not a per-host folder any more.
_MAX_DEPTH = 4


def unnamed_entries(evaluator, snapshot, file_name: str) -> list[str]:
    """The files called FILE_NAME that no other .nix file names by a relative path, sorted."""
    candidates = [path for path in snapshot.nix_files()
                  if posixpath.basename(path) == file_name and path.count("/") < _MAX_DEPTH]
    if not candidates:
        return []
    named, folders = _named_by_others(evaluator, snapshot)
    return [path for path in candidates
            if path not in named and not any(path.startswith(folder) for folder in folders)]


def _named_by_others(evaluator, snapshot) -> tuple[set[str], set[str]]:
    """The files other files name, and the folders (with their '/') under which a
    dynamic path (`./hosts/${name}/configuration.nix`) may name any file."""
    named: set[str] = set()
    folders: set[str] = set()
    for path in snapshot.nix_files():
        if evaluator.parse_error(path) is not None:
            continue  # what a file that is not Nix names counts for nothing
        directory = posixpath.dirname(path)
        for literal in query.path_literals(evaluator.parse(path)):
            if literal.kind != "relative":
                continue
            if literal.interpolated:
                static = literal.text[: literal.text.index("${")].rpartition("/")[0]
                folder = join(directory, static or ".")
                if folder is not None:
                    folders.add(folder + "/" if folder else "")
                continue
            target = join(directory, literal.text)
            read = evaluator.resolve_import(target) if target is not None else None
            if read is not None and read != path:
                named.add(read)
    return named, folders


def folder_name(path: str) -> str:
    """What a per-host folder's entry is called before its configuration names it."""
    return posixpath.basename(posixpath.dirname(path)) or posixpath.splitext(posixpath.basename(path))[0]
