"""Small repositories written from a {path: text} mapping, and `migrate` run on them as a
user runs it (a real process from the project's root)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_files(repo: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    return repo


def run_migrate(repo: Path, *args) -> subprocess.CompletedProcess:
    """`migrate REPO ARGS --no-color`; fails the test unless it exits 0."""
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), *map(str, args), "--no-color"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result
