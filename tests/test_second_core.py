"""second_core.InBackground: a forked child's result, or the same work done here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from migrate import second_core
from migrate.errors import MigrateError
from migrate.second_core import InBackground

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@needs_fork
def test_the_result_is_computed_in_another_process():
    parent = os.getpid()
    with InBackground(lambda: (os.getpid(), [1, "two", {"three": 3.0}])) as work:
        pid, value = work.result()
    assert pid != parent
    assert value == [1, "two", {"three": 3.0}]


@needs_fork
def test_the_child_sees_the_state_at_the_fork_and_changes_nothing_here():
    shared = {"notes": ["a"]}

    def work():
        shared["notes"].append("from the child")
        return list(shared["notes"])

    with InBackground(work) as background:
        assert background.result() == ["a", "from the child"]
    assert shared == {"notes": ["a"]}


@needs_fork
def test_an_error_in_the_child_is_met_again_here_as_itself():
    calls = []

    def work():
        calls.append(os.getpid())
        raise MigrateError("flake.nix:3:1: cannot rewrite this")

    with InBackground(work) as background:
        with pytest.raises(MigrateError, match="flake.nix:3:1: cannot rewrite this"):
            background.result()
    assert calls == [os.getpid()]  # the child's own attempt is not seen here


@needs_fork
def test_a_child_that_dies_is_replaced_by_the_work_done_here():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return "done here"

    with InBackground(work) as background:
        assert background.result() == "done here"


@needs_fork
def test_a_result_that_cannot_be_sent_is_computed_here():
    parent = os.getpid()
    with InBackground(lambda: (lambda: os.getpid() == parent)) as background:  # a lambda does not pickle
        assert background.result()()


@needs_fork
def test_leaving_early_stops_the_child_and_collects_it():
    with InBackground(lambda: time.sleep(60)) as background:
        pid = background._pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already collected: no zombie, nothing running
    background.close()  # twice is fine


def test_without_fork_the_work_is_done_here(monkeypatch):
    monkeypatch.delattr(second_core.os, "fork")
    with InBackground(lambda: os.getpid()) as background:
        assert background.result() == os.getpid()


@needs_fork
def test_ctrl_c_ends_the_child_quietly(tmp_path):
    # The terminal sends SIGINT to the whole process group: the child must end without
    # a traceback of its own while the parent cleans up.
    script = f"""
import os, signal, sys, time
sys.path.insert(0, {os.getcwd()!r})
from migrate.second_core import InBackground
parent = os.getpid()
def work():
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    return "done here"
with InBackground(work) as background:
    print(background.result(), flush=True)
"""
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "done here\n"
    assert result.stderr == ""
    assert time.monotonic() - started < 30


SAMPLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "sample-configs"


def _run(sample: str, out, capsys, **options) -> tuple[str, dict]:
    from migrate.run import run

    run(str(SAMPLES / sample), dry_run=out is None, out_dir=str(out) if out else None, branch="hm-nixos-module",
        force=False, allow_dirty=False, attach={}, no_color=True, **options)
    tree = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} if out else {}
    return capsys.readouterr().out, tree


@needs_fork
@pytest.mark.parametrize("sample", ["wimpy-style", "ian-multihost", "channels-style"])
def test_a_run_gives_the_same_report_and_tree_with_or_without_a_second_core(sample, tmp_path, capsys, monkeypatch):
    with_fork = [_run(sample, None, capsys, as_json=json) for json in (False, True)]
    with_fork.append(_run(sample, tmp_path / "a", capsys, as_json=False))
    monkeypatch.delattr(second_core.os, "fork")
    without = [_run(sample, None, capsys, as_json=json) for json in (False, True)]
    without.append(_run(sample, tmp_path / "b", capsys, as_json=False))
    assert "not edited:" in with_fork[0][0] or sample != "wimpy-style"  # the notes made beside verification
    assert with_fork[0] == without[0] and with_fork[1] == without[1]
    assert with_fork[2][1] == without[2][1] and "MIGRATION.md" in with_fork[2][1]
    assert with_fork[2][0].replace(str(tmp_path / "a"), "OUT") == without[2][0].replace(str(tmp_path / "b"), "OUT")


@needs_fork
def test_an_interruption_while_the_child_starts_leaves_no_child(monkeypatch):
    # SIGINT lands between the fork and the line that records the child: it is held
    # until the child is recorded, then raised, and the child is stopped and collected.
    started = []
    real_fdopen = os.fdopen

    def fdopen_interrupted(fd, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        started.append(True)
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(second_core.os, "fdopen", fdopen_interrupted)
    with pytest.raises(KeyboardInterrupt):
        InBackground(lambda: time.sleep(60))
    assert started
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left, running or unreaped
