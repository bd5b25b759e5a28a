"""A value the flake also outputs, named by its place there (`self.homeModules.base`):
a module of a standalone configuration written in another file, or through names that
mean something else where the host is wired, can still be named that way."""

from __future__ import annotations

from typing import Optional

from migrate.analyze.values import AttrSet, force, unwrap

MODULE_COLLECTIONS = ("homeModules", "homeManagerModules", "nixosModules", "modules")


def output_path(value, outputs) -> Optional[list[str]]:
    """[collection, name...] of VALUE among the flake's module collections, found by
    identity (the very value the analysis met), or None."""
    value = unwrap(value)
    outputs = unwrap(force(outputs)) if outputs is not None else None
    if not isinstance(outputs, AttrSet):
        return None
    for collection in MODULE_COLLECTIONS:
        thunk = outputs.attrs.get(collection)
        if thunk is None:
            continue
        found = _path_to(value, thunk, depth=2 if collection == "modules" else 1)
        if found is not None:
            return [collection] + found
    return None


def _path_to(value, thunk, depth: int) -> Optional[list[str]]:
    container = unwrap(force(thunk))
    if not isinstance(container, AttrSet):
        return None
    for name, child in container.attrs.items():
        if not child.is_forced and depth == 1:
            continue  # never evaluated, so not the value that was met
        if depth == 1:
            if force(child) is value or unwrap(force(child)) is value:
                return [name]
        else:
            inner = _path_to(value, child, depth - 1)
            if inner is not None:
                return [name] + inner
    return None
