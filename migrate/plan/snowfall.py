"""snowfall-lib flakes have nothing for the planner to write: snowfall-lib itself
makes `homes/<target>/<user>@<host>` a Home Manager user of system `<host>` (see
migrate/analyze/snowfall.py). A home that would still migrate is one the user
attached to another system by hand (--attach), or one of a flake without a
`home-manager` input; the way to wire it is snowfall-lib's own, said here."""

from __future__ import annotations

import posixpath

from migrate.errors import MigrateError


def is_snowfall(analysis) -> bool:
    evaluator = getattr(analysis, "evaluator", None)
    return bool(evaluator is not None and evaluator.special_functions)


def refuse(analysis, per_host: dict) -> None:
    """Stop with snowfall-lib's way of wiring each home that would migrate."""
    home, host = next((h, host) for host, homes in sorted(per_host.items()) for h in homes)
    raise MigrateError(wiring_advice(home, host, analysis.notes))


def wiring_advice(home, host: str, notes: list[str]) -> str:
    folder = posixpath.dirname((home.where or "").split(":")[0]) or f"homes/<target>/{home.name}"
    target = posixpath.basename(posixpath.dirname(folder)) or "<target>"
    if not any(note.startswith("snowfall-lib:") and "already Home Manager user" in note for note in notes) \
            and any("no `home-manager` input" in note for note in notes):
        how = ("add a `home-manager` input to flake.nix: snowfall-lib then adds its NixOS module to every "
               f"system and makes {folder} a user of system {host} by itself")
    else:
        how = (f"snowfall-lib wires a home into the system its folder names: rename {folder} to "
               f"homes/{target}/{home.user}@{host} (`git mv`), and it becomes Home Manager user {home.user} of {host}")
    return (f"{folder}: this is a snowfall-lib flake, whose systems and homes come from folders, "
            f"not from flake.nix: {how}; nothing was written")
