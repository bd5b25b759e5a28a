"""Independent syntax check of Nix text with the real Nix parser."""

import shutil
import subprocess
import tempfile

import pytest

NIX_INSTANTIATE = shutil.which("nix-instantiate")

requires_nix = pytest.mark.skipif(NIX_INSTANTIATE is None, reason="nix-instantiate not installed")


def nix_parses(text: str) -> tuple[bool, str]:
    """(ok, stderr) of `nix-instantiate --parse` on the text."""
    if NIX_INSTANTIATE is None:
        pytest.skip("nix-instantiate not installed")
    with tempfile.NamedTemporaryFile("w", suffix=".nix", encoding="utf-8", delete=False) as handle:
        handle.write(text)
        name = handle.name
    result = subprocess.run([NIX_INSTANTIATE, "--parse", name], capture_output=True, text=True)
    return result.returncode == 0, result.stderr


def assert_nix_parses(text: str) -> None:
    ok, err = nix_parses(text)
    assert ok, f"nix-instantiate --parse rejected:\n{text}\n---\n{err}"
