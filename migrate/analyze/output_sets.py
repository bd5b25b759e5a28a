"""Where a flake's outputs hold its configurations: `nixosConfigurations` at the top, or,
when the top has none, per system (`packages.<system>.nixosConfigurations` from
flake-utils' eachDefaultSystem, `legacyPackages.<system>.homeConfigurations` from a
flake-parts perSystem module, as `home-manager switch --flake` also looks them up).
"""

from __future__ import annotations

from typing import Iterator, Optional

from migrate.analyze.operations import MISSING, lookup
from migrate.analyze.values import AttrSet, OpenAttrSet, Thunk, force, unwrap

CONFIGURATION_SETS = (("nixosConfigurations", "nixos"), ("homeConfigurations", "home"), ("darwinConfigurations", "darwin"))
PER_SYSTEM_CONTAINERS = ("legacyPackages", "packages")
# The system a name defined for several is taken from, first found first.
_PREFERRED_SYSTEMS = ("x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin")


class ConfigurationSet:
    """One set of configurations: its label in the outputs, its kind, and the thunk that
    defines it (its file:line is where a generated set is edited)."""

    __slots__ = ("label", "attribute", "kind", "thunk")

    def __init__(self, label: str, attribute: str, kind: str, thunk: Thunk):
        self.label = label
        self.attribute = attribute
        self.kind = kind
        self.thunk = thunk


def configuration_sets(evaluator, outputs, more=()) -> Iterator[ConfigurationSet]:
    """MORE: (attribute, kind) of other outputs that hold configurations (snowfall-lib's
    `<format>Configurations`)."""
    per_system_seen = False
    for attribute, kind in (*CONFIGURATION_SETS, *more):
        thunk = _attribute(outputs, attribute)
        if thunk is not None:
            yield ConfigurationSet(attribute, attribute, kind, thunk)
            continue
        if kind == "darwin" and not per_system_seen:
            continue  # only reported: not worth evaluating every system's packages for
        for found in _per_system(evaluator, outputs, attribute, kind):
            per_system_seen = True
            yield found


def _attribute(value, name: str) -> Optional[Thunk]:
    if isinstance(value, OpenAttrSet):
        return value.attrs.get(name)  # the other side of `//` is not read
    found = lookup(value, name)
    return found if isinstance(found, Thunk) else None


def _per_system(evaluator, outputs, attribute: str, kind: str) -> Iterator[ConfigurationSet]:
    for container in PER_SYSTEM_CONTAINERS:
        # Probing per-system outputs evaluates package sets the migration does not need:
        # what goes wrong there is not a gap of the analysis.
        with evaluator.quietly():
            holder = _attribute(outputs, container)
            systems = unwrap(force(holder)) if holder is not None else None
            if not isinstance(systems, AttrSet):
                continue
            ordered = sorted(systems.attrs, key=lambda s: (_PREFERRED_SYSTEMS.index(s) if s in _PREFERRED_SYSTEMS
                                                           else len(_PREFERRED_SYSTEMS), s))
            found = []
            for system in ordered:
                per_system = unwrap(systems.attrs[system].force())
                if isinstance(per_system, AttrSet):
                    thunk = _attribute(per_system, attribute)
                    if thunk is not None and thunk is not MISSING:
                        found.append((system, thunk))
        for system, thunk in found:
            yield ConfigurationSet(f"{container}.{system}.{attribute}", attribute, kind, thunk)
