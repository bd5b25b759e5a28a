"""`import nixpkgs { overlays = [ ... ]; }`: what the repository's own overlays add.

`pkgs.lib.mkConfigs` in a flake whose overlay sets `lib = outputs.lib` (a lib extended
with the repository's builders) is that builder, not a nixpkgs attribute. An overlay
written in the repository (`final: prev: { ... }`) is applied to the package set, the
last one defining a name winning, as nixpkgs composes them; an overlay from an input
cannot be read, and the names it may add stay what they were (nixpkgs attributes).
"""

from __future__ import annotations

from typing import Optional

from migrate.analyze.values import AttrSet, Lambda, NixList, PkgsInstance, Thunk, force, unwrap

_COMPUTING = object()


def overlay_attribute(pkgs: PkgsInstance, name: str) -> Optional[Thunk]:
    layers = pkgs.layers
    if layers is None:
        pkgs.layers = _COMPUTING
        try:
            layers = pkgs.layers = _layers(pkgs)
        except Exception:
            pkgs.layers = []
            raise
    if layers is _COMPUTING:
        return None  # an overlay asking for `final.<name>` while the overlays are applied
    for layer in reversed(layers):
        found = layer.attrs.get(name)
        if found is not None:
            return found
    return None


def _layers(pkgs: PkgsInstance) -> list[AttrSet]:
    args = unwrap(pkgs.args)
    overlays = args.attrs.get("overlays") if isinstance(args, AttrSet) else None
    items = unwrap(force(overlays)) if overlays is not None else None
    if not isinstance(items, NixList):
        return []
    final = Thunk.ready(pkgs)
    prev = Thunk.ready(PkgsInstance(pkgs.source, None, pkgs.where))
    layers = []
    for item in items.items:
        overlay = unwrap(force(item))
        if not isinstance(overlay, Lambda) or overlay.code is None:
            continue  # an input's overlay: what it adds is unknown
        evaluator = overlay.code.src.evaluator
        result = unwrap(force(evaluator.call(overlay, final, prev)))
        if isinstance(result, AttrSet):
            layers.append(result)
    return layers
