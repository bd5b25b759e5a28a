"""migrate.progress: a long run says what it is doing on a terminal's stderr, and
nothing anywhere else.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

from rich.console import Console

from migrate.progress import Progress
from migrate.run import run

SAMPLES = Path(__file__).resolve().parents[1] / "sample-configs"
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def terminal() -> tuple[Console, io.StringIO]:
    screen = io.StringIO()
    return Console(file=screen, force_terminal=True, width=120), screen


def shown(screen: io.StringIO) -> list[str]:
    """The texts the status line showed, in order, without the spinner."""
    texts = []
    for frame in screen.getvalue().split("\r"):
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", frame).strip()
        text = text[1:].strip() if text else ""  # the spinner's character
        if text and (not texts or texts[-1] != text):
            texts.append(text)
    return texts


def test_a_long_step_is_shown_after_the_delay_and_erased_at_the_end():
    console, screen = terminal()
    progress = Progress(console, delay=0.2)
    progress.step("parsing and analysing 12 .nix files")
    time.sleep(0.05)
    assert screen.getvalue() == ""  # not before the delay
    progress.step("verifying the planned tree (12 files)")
    time.sleep(0.5)
    progress.close()
    assert shown(screen) == ["verifying the planned tree (12 files)"]
    assert screen.getvalue().endswith("\x1b[2K")  # the line is erased
    written = screen.getvalue()
    progress.step("after the end")
    time.sleep(0.3)
    assert screen.getvalue() == written


def test_a_quick_run_shows_nothing():
    console, screen = terminal()
    with Progress(console, delay=0.3) as progress:
        progress.step("reading the repository")
        progress.step("parsing and analysing 3 .nix files")
    time.sleep(0.4)
    assert screen.getvalue() == ""


def test_nothing_on_a_pipe_nor_for_json():
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "w") as pipe:
        assert Progress.for_run(False, pipe)._console is None
    os.close(read_end)
    import pty

    leader, follower = pty.openpty()
    with os.fdopen(follower, "w") as tty:
        assert Progress.for_run(False, tty)._console is not None
        assert Progress.for_run(True, tty)._console is None
    os.close(leader)


def test_no_thread_draws_and_a_forked_child_draws_nothing():
    # pynix-parser's trees may only be freed on the thread that made them: a drawing
    # thread that happened to run the garbage collector freed them there.
    import threading

    threads = threading.active_count()
    console, screen = terminal()
    with Progress(console, delay=0.0) as progress:
        progress.step("verifying the planned tree")
        time.sleep(0.3)
        assert threading.active_count() == threads
        pid = os.fork()
        if pid == 0:  # the child, as second_core's: it computes for a while and exits
            progress.step("from the child")
            time.sleep(0.3)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        progress.step("preparing the report")
        time.sleep(0.3)
    assert shown(screen) == ["verifying the planned tree", "preparing the report"]
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_run_names_its_steps(tmp_path):
    repo = tmp_path / "dotfiles"
    shutil.copytree(SAMPLES / "wimpy-style", repo)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **GIT_ENV}
    for command in (["init", "-q", "--template=", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True)
    console, screen = terminal()
    options = dict(dry_run=False, as_json=False, out_dir=None, branch="hm", force=False, allow_dirty=False,
                   attach={}, no_color=True)
    previous = {k: os.environ.get(k) for k in GIT_ENV}
    os.environ.update(GIT_ENV)
    try:
        assert run(str(repo), **options, progress=SlowSteps(console)) == 0
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    steps = [re.sub(r"\d[\d,]*", "N", text) for text in shown(screen)]
    assert steps == [
        "reading the committed files",
        "parsing and analysing N .nix files",
        "checking the rules and planning the layout (N hosts, N homes)",
        "verifying the planned tree (N files) and preparing the diff",
        "committing on the new branch hm",
    ]


class SlowSteps(Progress):
    """Shown at once, each step long enough to be drawn."""

    def __init__(self, console):
        super().__init__(console, delay=0.0)

    def step(self, text: str) -> None:
        super().step(text)
        time.sleep(0.15)
