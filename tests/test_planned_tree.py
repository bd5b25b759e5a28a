"""PlannedTree: unchanged files are carried over unread, and every consumer of the
planned tree sees exactly the bytes a fully read tree would give."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from migrate.analyze.analysis import analyze
from migrate.diff import unified
from migrate.plan import make_plan
from migrate.plan.tree import PlannedTree
from migrate.rules import check_all
from migrate.snapshot import from_directory, from_mapping

SAMPLES = Path(__file__).resolve().parent.parent / "sample-configs"
MIGRATING = ["ian-style", "ian-multihost", "wimpy-style", "channels-style"]


def _planned(sample: str):
    snapshot = from_directory(SAMPLES / sample)
    analysis = analyze(snapshot)
    return snapshot, make_plan(analysis, snapshot, check_all(analysis))


@pytest.mark.parametrize("sample", MIGRATING)
def test_the_tree_holds_every_file_with_its_bytes(sample):
    snapshot, plan = _planned(sample)
    assert isinstance(plan.tree, PlannedTree)
    renamed = {m.old: m.new for m in plan.moves}
    carried = 0
    for old in snapshot.paths():
        new = renamed.get(old, old)
        if plan.tree.carried_from(new) is not None:
            carried += 1
            assert plan.tree.carried_from(new) == old
            assert plan.tree[new] == snapshot.read_bytes(old)
            assert plan.tree.size(new) == len(plan.tree[new])
            assert new not in plan.changed
    assert carried > len(snapshot.paths()) // 2, "nearly every file is carried over unchanged"
    assert all(plan.tree.carried_from(p) is None for p in plan.changed)


@pytest.mark.parametrize("sample", MIGRATING)
def test_consumers_see_what_a_fully_read_tree_gives(sample):
    snapshot, plan = _planned(sample)
    read = dict(plan.tree.items())
    assert all(isinstance(data, bytes) for data in read.values())
    lazy_snapshot = from_mapping(plan.tree, "<planned>", plan.modes)
    full_snapshot = from_mapping(read, "<planned>", plan.modes)
    assert lazy_snapshot.paths() == full_snapshot.paths()
    for path in full_snapshot.paths():
        assert lazy_snapshot.size(path) == full_snapshot.size(path)
        assert lazy_snapshot.stored_bytes(path) == full_snapshot.stored_bytes(path)
        assert lazy_snapshot.is_executable(path) == full_snapshot.is_executable(path)
    lazy_diff = unified(snapshot, plan)
    plan.tree = read
    assert unified(snapshot, plan) == lazy_diff
    assert "rename from" in lazy_diff


def test_a_dry_run_of_a_directory_does_not_open_the_assets_it_moves(tmp_path):
    # In a child interpreter: the audit hook cannot be removed again.
    script = f"""
import sys
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from pathlib import Path
from migrate.analyze.analysis import analyze
from migrate.diff import unified
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_directory
from migrate.verify import verify

opened = set()
sys.addaudithook(lambda event, args: opened.add(str(args[0])) if event == "open" and isinstance(args[0], str) else None)
repo = Path(sys.argv[1])
snapshot = from_directory(repo)
analysis = analyze(snapshot)
plan = make_plan(analysis, snapshot, check_all(analysis))
assert verify(analysis, plan) == []
unified(snapshot, plan)
assets = [p for p in snapshot.paths() if not p.endswith(".nix") and plan.tree.carried_from(
    {{m.old: m.new for m in plan.moves}}.get(p, p)) == p]
# Documentation and scripts are read on purpose: they are searched for old paths.
from migrate.plan.text_files import TEXT_FILE
assets = [p for p in assets if not TEXT_FILE.search(p)]
assert assets, "the sample has no asset carried over: the test would prove nothing"
read = sorted(p for p in assets if str(repo / p) in opened)
print(len(assets), read)
"""
    import subprocess

    result = subprocess.run([sys.executable, "-c", script, str(SAMPLES / "wimpy-style")],
                            capture_output=True, text=True, env={**os.environ, "PATH": os.environ.get("PATH", "")})
    assert result.returncode == 0, result.stderr
    count, read = result.stdout.split(" ", 1)
    assert int(count) > 0 and read.strip() == "[]"


def test_an_edit_replaces_a_carried_file():
    snapshot = from_directory(SAMPLES / "ian-style")
    tree = PlannedTree(snapshot)
    path = snapshot.nix_files()[0]
    tree.carry("moved/" + path, path)
    assert tree["moved/" + path] == snapshot.read_bytes(path)
    tree["moved/" + path] = b"{ }\n"
    assert tree.carried_from("moved/" + path) is None and tree["moved/" + path] == b"{ }\n"
    assert tree.size("moved/" + path) == 4 and list(tree) == ["moved/" + path] and len(tree) == 1
