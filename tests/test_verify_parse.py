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


def test_batches_are_bounded_by_count_and_size(monkeypatch):
    monkeypatch.setattr(verify, "_PARSE_BATCH", 3)
    monkeypatch.setattr(verify, "_BATCH_BYTES", 100)
    tree = {f"{i:02}.nix": b"{ a = 1; }" + b" " * 20 for i in range(7)}
    tree["big.nix"] = b"[ ]" + b" " * (verify._LARGEST_ARGUMENT + 1)
    tree["nul.nix"] = b"\"a\0b\""
    tree["neg.nix"] = b"-1\n"
    batches = verify._batches(sorted(tree), tree)
    as_expr = [batch for how, batch in batches if how == "expr"]
    assert [len(b) for b in as_expr] == [3, 3, 1]
    assert all(sum(len(tree[p]) + 1 for p in b) <= 100 for b in as_expr)
    assert batches[-1] == ("file", ["big.nix", "neg.nix", "nul.nix"])
    assert sorted(p for _, batch in batches for p in batch) == sorted(tree)


def test_files_that_cannot_be_arguments_are_still_checked():
    big_bad = b"[ " + b"1 " * (verify._LARGEST_ARGUMENT // 2) + b"\n"  # unclosed list
    files = {"big.nix": big_bad, "help.nix": b"--help\n", "neg.nix": b"-1\n", "fine.nix": b"{ }\n"}
    problems = parse_check(_plan(files))
    assert [p.split(":", 1)[0] for p in problems] == ["big.nix", "help.nix"]


def test_an_expression_is_checked_as_written_not_evaluated():
    # Parsing only: an import of a missing file and an unknown <path> are fine, a
    # missing semicolon is not.
    files = {"a.nix": b"import ./missing.nix { x = <nowhere>; }\n", "b.nix": b"{ a = 1 }\n"}
    problems = parse_check(_plan(files))
    assert len(problems) == 1 and problems[0].startswith("b.nix: nix-instantiate --parse: error:")


def test_an_interruption_while_batches_start_stops_the_ones_started(monkeypatch):
    monkeypatch.setattr(verify, "_PARSE_BATCH", 1)
    started = []
    real_start = verify.ParseCheck._start

    def start_then_interrupted(self, how, batch):
        if len(started) == 2:
            raise KeyboardInterrupt
        process = real_start(self, how, batch)
        started.append(process)
        return process

    monkeypatch.setattr(verify.ParseCheck, "_start", start_then_interrupted)
    files = {f"{i}.nix": b"{ a = " + b"[ 1 ] ++ " * 20000 + b"[ ]; }\n" for i in range(4)}
    with pytest.raises(KeyboardInterrupt):
        with verify.ParseCheck(_plan(files)):
            pass
    assert len(started) == 2
    assert all(process.returncode is not None for process in started)  # stopped and collected


@pytest.mark.parametrize("before, blamed_on_the_user", [(b"{ a = 1; }\n", False), (b"{ a = 1; a = 2; }\n", True)])
def test_a_file_nix_rejects_is_blamed_on_the_edit_only_if_it_was_fine_before(before, blamed_on_the_user):
    from migrate.plan.layout import Move
    from migrate.plan.tree import PlannedTree
    from migrate.snapshot import from_mapping

    source = from_mapping({"old/a.nix": before})
    tree = PlannedTree(source)
    tree["new/a.nix"] = b"{ a = 1; a = 2; b = ./x; }\n"

    @dataclass
    class _Moved:
        tree: object
        changed: set
        moves: list

    check = verify.ParseCheck(_Moved(tree, {"new/a.nix"}, [Move("old/a.nix", "new/a.nix", "moved")]))
    with check:
        problems = check.problems()
    if blamed_on_the_user:
        assert problems == [] and [old for old, _ in check.rejected_before] == ["old/a.nix"]
        assert "already defined at old/a.nix:1:" in check.rejected_before[0][1]
    else:
        assert check.rejected_before == [] and len(problems) == 1
        assert problems[0].startswith("new/a.nix: nix-instantiate --parse: error: attribute 'a' already defined")
