"""Paths a channels setup could read and a flake cannot.

`nixos-rebuild -I nixos-config=...` reads the working directory as it is, so a module
can name a file git does not track (`./secrets.nix`, listed in .gitignore, often behind
`builtins.pathExists`). A flake is copied from git: the same path does not exist for it,
and a `pathExists` guard silently turns false. Nothing in the repository can be changed
to keep the old meaning, so the report says where it happens.
"""

from __future__ import annotations

import posixpath

from migrate.snapshot import join

_SHOWN = 10


def untracked_paths(analysis, snapshot) -> list[str]:
    """'file:line names ./x' for relative paths in the roots' files that the repository
    (HEAD, for a git repository) does not hold."""
    reached = sorted({path for root in [*analysis.hosts.values(), *analysis.homes.values()] for path in root.files})
    found = []
    for path in reached:
        if path in analysis.unparsable:
            continue
        directory = posixpath.dirname(path)
        nix = None
        for literal in analysis.graph.index_of(path).paths:
            if literal.kind != "relative" or literal.interpolated:
                continue
            target = join(directory, literal.text)
            if target is None or snapshot.exists(target):
                continue
            nix = nix or analysis.evaluator.parse(path)
            place = f"{path}:{nix.line_col(literal.start)[0]} names {literal.text}"
            if place not in found:  # `pathExists ./x` and `./x` on one line
                found.append(place)
    if len(found) > _SHOWN:
        found = found[:_SHOWN] + [f"... and {len(found) - _SHOWN} more"]
    return [f"{place}, which the repository does not hold: a flake sees only the files git tracks, so the "
            "build will not find it even where it exists on the machine (track it, encrypted if it is a "
            "secret, or drop it)" for place in found]
