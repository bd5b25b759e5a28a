"""Several flakes in one repository, none at the top: `nixos/flake.nix` for the
machine, `home-manager/flake.nix` for `home-manager switch --flake ./home-manager`,
`nix-darwin/flake.nix` for the Mac, each with its own inputs.

Each is read as the flake it is (its own inputs, `system`, `specialArgs`), and the
roots of all of them are analysed together: the home of one flake can belong to the
host of another. Such a repository is not a channels setup, even when the folders
also hold `configuration.nix` and `home.nix`.
"""

from __future__ import annotations

from typing import Optional

from migrate.analyze.values import AttrSet, force, unwrap
from migrate.errors import MigrateError

LAYOUT = "flakes-in-folders"
_MAX_DEPTH = 2  # nixos/flake.nix, machines/laptop/flake.nix


def flake_files(snapshot) -> list[str]:
    """flake.nix files below the top, at most two folders down, hidden folders aside."""
    found = []
    for path in snapshot.paths():
        parts = path.split("/")
        if parts[-1] != "flake.nix" or not 2 <= len(parts) <= _MAX_DEPTH + 1:
            continue
        if any(part.startswith(".") for part in parts[:-1]) or not snapshot.is_file(path):
            continue
        found.append(path)
    return sorted(found)


def discover_in_folders(evaluator, snapshot, warn, discover_flake):
    """The roots of every flake below the top, or None when no such flake defines a
    NixOS host (then the repository is read another way)."""
    from migrate.analyze.discover import Discovery

    found = Discovery(LAYOUT)
    for path in flake_files(snapshot):
        one = Discovery(LAYOUT)
        try:
            discover_flake(evaluator, warn, path, one)
        except MigrateError as error:
            if not one.darwin:  # a nix-darwin flake has only darwinConfigurations: no news
                warn(path, None, f"this flake is left out of the analysis: {error}")
                continue
        for name in sorted((set(one.hosts) & set(found.hosts)) | (set(one.homes) & set(found.homes))):
            warn(path, None, f"{name} is defined by another flake of this repository too; this one is analysed")
        found.hosts.update(one.hosts)
        found.homes.update(one.homes)
        found.entries.update(one.entries)
        found.darwin.extend(one.darwin)
        found.darwin_flakes.update({name: path for name in one.darwin})
        found.notes.extend(note for note in one.notes if note not in found.notes)
        found.flake_inputs[path] = declared_inputs(evaluator, path)
    if not found.hosts:
        return None
    return found


def declared_inputs(evaluator, path: str) -> dict[str, str]:
    """Input name -> where it comes from, as declared (`url`, or `follows`, or the
    attributes of a `{ type; owner; repo; }` reference), for comparing two versions."""
    try:
        flake = evaluator.eval_file(path)
    except MigrateError:
        return {}
    inputs = unwrap(force(flake.attrs["inputs"])) if isinstance(flake, AttrSet) and "inputs" in flake.attrs else None
    if not isinstance(inputs, AttrSet):
        return {}
    return {name: _describe(inputs.attrs[name]) for name in inputs.names()}


def _describe(thunk) -> str:
    spec = unwrap(force(thunk))
    if isinstance(spec, str):
        return spec
    if not isinstance(spec, AttrSet):
        return "(not read)"
    parts = []
    for key in ("url", "follows", "type", "owner", "repo", "ref", "rev", "dir", "flake"):
        value: Optional[object] = unwrap(force(spec.attrs[key])) if key in spec.attrs else None
        if isinstance(value, (str, bool)):
            parts.append(f"{key}={value}")
    nested = spec.attrs.get("inputs")
    nested = unwrap(force(nested)) if nested is not None else None
    if isinstance(nested, AttrSet):
        for name in nested.names():
            inner = unwrap(force(nested.attrs[name]))
            follows = unwrap(force(inner.attrs["follows"])) if isinstance(inner, AttrSet) and "follows" in inner.attrs else None
            if isinstance(follows, str):
                parts.append(f"inputs.{name}.follows={follows}")
    return ", ".join(parts) or "(declared without a url)"
