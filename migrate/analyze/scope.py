"""Variable scopes and per-file source context for the evaluator."""

from __future__ import annotations

import posixpath
from typing import Optional

from migrate.analyze import operations
from migrate.analyze.values import (
    AttrSet, EvalError, External, PkgsInstance, Thunk, Unknown, WRAPPERS, force, type_name,
)


# The file whose expressions the planner may copy elsewhere in that file (the host
# wiring): its thunks keep their scope once forced, so a name an expression takes
# from its surroundings can still be looked up (migrate/plan/carry.py).
SCOPES_KEPT_IN = "flake.nix"


class Source:
    """The file an expression was written in: its ``NixFile``, repo path,
    directory (for relative path literals) and the evaluator that owns it.
    ``keeps_scopes``: thunks of this file keep their ``env`` once forced."""

    __slots__ = ("evaluator", "nix", "path", "directory", "keeps_scopes")

    def __init__(self, evaluator, nix, path: str):
        self.evaluator = evaluator
        self.nix = nix
        self.path = path
        self.directory = posixpath.dirname(path)
        self.keeps_scopes = path == SCOPES_KEPT_IN


class Env:
    """One scope: either lexical ``names`` (let, rec, function arguments,
    builtins) or a ``with`` scope (``with_scope`` thunk). Nix looks up lexical
    names first, however deeply the ``with`` is nested, then the ``with``
    scopes from the innermost out."""

    __slots__ = ("names", "parent", "with_scope")

    def __init__(self, names: Optional[dict], parent: Optional["Env"], with_scope: Optional[Thunk] = None):
        self.names = names
        self.parent = parent
        self.with_scope = with_scope

    def lookup(self, name: str):
        """The thunk bound to ``name``, a value from a ``with`` scope, or None."""
        env = self
        while env is not None:
            names = env.names
            if names is not None:
                thunk = names.get(name)
                if thunk is not None:
                    return thunk
            env = env.parent
        env = self
        while env is not None:
            if env.with_scope is not None:
                found = _from_with_scope(env.with_scope, name)
                if found is not None:
                    return found
            env = env.parent
        return None


def _from_with_scope(scope: Thunk, name: str):
    value = force(scope)
    while isinstance(value, WRAPPERS):
        value = value.value
    if isinstance(value, AttrSet):
        # A lib model answers every name; in a with scope only real ones count.
        return value.attrs.get(name)
    if isinstance(value, Unknown):
        # An unknown scope (``with pkgs;``) might define any name.
        return value.plain()
    if isinstance(value, (External, PkgsInstance)):
        return operations.select(value, name)
    raise EvalError(f"'with' needs a set, got a {type_name(value)}")
