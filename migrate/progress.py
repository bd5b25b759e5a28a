"""What a long run is doing, on stderr: one line with a spinner (rich's status).

Shown only when stderr is a terminal and not for --json, and only once the run has
taken DELAY seconds: a quick run prints nothing but its report, and a pipe or a
script never gets the line. The line is erased before the report is printed.

The spinner turns in a thread of its own (rich's Live, refreshed by that thread).
`second_core` forks while the run goes on, and a thread that holds a lock (stderr's,
the console's) at the fork would leave it held forever in the child: every fork of
this process first stops that thread and erases the line, and the parent starts it
again afterwards.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import weakref
from typing import Optional

DELAY = 1.0  # seconds a run takes before it says what it is doing

_shown: "weakref.WeakSet[Progress]" = weakref.WeakSet()


class Progress:
    def __init__(self, console=None, delay: float = DELAY):
        """CONSOLE: a rich Console on the terminal; None shows nothing."""
        self._console = console
        self._delay = delay
        self._start = time.monotonic()
        self._text = ""
        self._closed = console is None
        self._thread: Optional[threading.Thread] = None
        self._halted = threading.Event()
        self._live = None
        self._spinner = None
        # Between the run's thread (new texts, the end) and the drawing thread.
        self._lock = threading.Lock()
        if console is not None:
            _shown.add(self)

    @classmethod
    def for_run(cls, as_json: bool, stream=None) -> "Progress":
        stream = stream or sys.stderr
        if as_json or not _is_terminal(stream):
            return cls(None)
        from rich.console import Console

        return cls(Console(file=stream, stderr=stream is sys.stderr))

    def step(self, text: str) -> None:
        """What the run does from now on."""
        if self._closed:
            return
        with self._lock:
            self._text = text
            if self._spinner is not None:
                self._spinner.update(text=text)
        if self._thread is None:
            self._start_drawing()

    def close(self) -> None:
        """Erase the line for good (before the report, or on the way out)."""
        self._closed = True
        self._halt()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ internals

    def _start_drawing(self) -> None:
        self._halted = threading.Event()
        self._thread = threading.Thread(target=self._draw, args=(self._halted,), name="progress", daemon=True)
        self._thread.start()

    def _draw(self, halted: threading.Event) -> None:
        """The drawing thread: waits out the delay, then turns the spinner until halted."""
        if halted.wait(max(0.0, self._delay - (time.monotonic() - self._start))):
            return
        from rich.live import Live
        from rich.spinner import Spinner

        with self._lock:
            if halted.is_set():
                return
            self._spinner = Spinner("dots", text=self._text, style="status.spinner")
            # No redirection of sys.stdout and sys.stderr: the line is gone before the report.
            self._live = Live(self._spinner, console=self._console, auto_refresh=False, transient=True,
                              redirect_stdout=False, redirect_stderr=False)
            self._live.start(refresh=True)
        while not halted.wait(0.08):
            with self._lock:
                self._live.refresh()

    def _halt(self) -> bool:
        """Stop the drawing thread, wait for it and erase the line; whether it ran."""
        thread, self._thread = self._thread, None
        if thread is None:
            return False
        self._halted.set()
        thread.join()
        with self._lock:
            if self._live is not None:
                self._live.stop()
            self._live = self._spinner = None
        return True


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


_paused: list[Progress] = []


def _before_fork() -> None:
    _paused[:] = [progress for progress in list(_shown) if progress._halt()]


def _after_fork_in_parent() -> None:
    for progress in _paused:
        if not progress._closed:
            progress._start_drawing()  # at once if the delay is over: the line comes back
    _paused.clear()


def _after_fork_in_child() -> None:
    for progress in list(_shown):
        progress._closed = True  # the child computes and exits; it shows nothing
    _paused.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                        after_in_child=_after_fork_in_child)
