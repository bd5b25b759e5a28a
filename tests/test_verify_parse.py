"""verify.parse_check: Nix's own parser on every changed .nix file, batched."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

import pytest

from migrate import verify
from migrate.verify import parse_check

pytestmark = pytest.mark.skipif(shutil.which("nix-instantiate") is None, reason="needs nix-instantiate")


@dataclass
class _Plan:
    tree: dict
    changed: set = field(default_factory=set)


def _plan(files: dict) -> _Plan:
    return _Plan(tree=dict(files), changed=set(files))


def test_good_files_pass():
    assert parse_check(_plan({"a/default.nix": b"{ a = ./x; }\n", "b.nix": b"[ 1 2 ]\n"})) == []


def test_every_bad_file_is_named_with_its_position(monkeypatch):
    # A batch smaller than the file count makes the good files share batches with bad ones.
    monkeypatch.setattr(verify, "_PARSE_BATCH", 2)
    files = {f"ok{i}.nix": b"{ }\n" for i in range(5)}
    files["hosts/kestrel/default.nix"] = b"{\n  b = ;\n}\n"
    files["modules/home/x.nix"] = b"[ 1 "
    problems = parse_check(_plan(files))
    assert len(problems) == 2
    assert problems[0].startswith("hosts/kestrel/default.nix: nix-instantiate --parse: error: syntax error")
    assert "(at hosts/kestrel/default.nix:2:7)" in problems[0]
    assert problems[1].startswith("modules/home/x.nix: ") and "modules/home/x.nix:1:" in problems[1]


def test_only_changed_nix_files_are_checked():
    plan = _Plan(tree={"same.nix": b"{ broken", "notes.txt": b"(", "new.nix": b"{ }"}, changed={"new.nix", "notes.txt"})
    assert parse_check(plan) == []
