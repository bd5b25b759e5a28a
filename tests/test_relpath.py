"""plan.paths._relpath is posixpath.relpath for repository paths, without touching the cwd."""

from __future__ import annotations

import posixpath

from hypothesis import given, strategies as st

from migrate.plan.paths import _relpath, nix_path

_names = st.sampled_from(["a", "b", "hosts", "modules", "default.nix", "x.nix", "a.b"])
_paths = st.lists(_names, max_size=5).map("/".join)


@given(_paths, _paths)
def test_same_as_posixpath_relpath(target, directory):
    assert _relpath(target, directory) == posixpath.relpath(target or ".", directory or ".")


def test_nix_path_literals():
    assert nix_path("modules/home/x.nix", "hosts/kestrel") == "../../modules/home/x.nix"
    assert nix_path("hosts/kestrel", "hosts/kestrel") == "./."
    assert nix_path("hosts", "hosts/kestrel") == "../."
    assert nix_path("hosts/kestrel/boot.nix", "hosts/kestrel") == "./boot.nix"
