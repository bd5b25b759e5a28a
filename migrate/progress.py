"""What a long run is doing, on stderr: one line with a spinner (rich's Live).

Shown only when stderr is a terminal and not for --json, and only once the run has
taken DELAY seconds: a quick run prints nothing but its report, and a pipe or a
script never gets the line. The line is erased before the report is printed.

No thread draws it: the parse trees of pynix-parser may only be freed on the thread
that made them, and the garbage collector frees them on whichever thread happens to
allocate ("PySyntaxNode is unsendable, but is being dropped on another thread").
An interval timer (SIGALRM) has the main thread redraw the line between two steps of
its work. A forked child (`second_core`) inherits no timer, and its copy of the
handler draws nothing (it checks the process id).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from typing import Optional

DELAY = 1.0  # seconds a run takes before it says what it is doing
_FRAME = 0.1  # seconds between two frames of the spinner


class Progress:
    def __init__(self, console=None, delay: float = DELAY):
        """CONSOLE: a rich Console on the terminal; None shows nothing."""
        self._console = console
        self._delay = delay
        self._start = time.monotonic()
        self._pid = os.getpid()
        self._text = ""
        self._closed = console is None
        self._ticking = False
        self._previous_handler = None
        self._busy = False  # the run itself is changing the display: the timer keeps off
        self._live = None
        self._spinner = None

    @classmethod
    def for_run(cls, as_json: bool, stream=None) -> "Progress":
        stream = stream or sys.stderr
        if as_json or not _is_terminal(stream) or not hasattr(signal, "setitimer"):
            return cls(None)
        from rich.console import Console

        return cls(Console(file=stream, stderr=stream is sys.stderr))

    def step(self, text: str) -> None:
        """What the run does from now on."""
        if self._closed:
            return
        self._text = text
        if self._spinner is not None:
            self._busy = True
            try:
                self._spinner.update(text=text)
            finally:
                self._busy = False
        if not self._ticking:
            self._start_timer()

    def close(self) -> None:
        """Erase the line for good (before the report, or on the way out)."""
        if self._closed and not self._ticking:
            return
        self._closed = True
        self._busy = True
        try:
            if self._ticking:
                signal.setitimer(signal.ITIMER_REAL, 0)
                previous = self._previous_handler
                signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
                self._ticking = False
            if self._live is not None and os.getpid() == self._pid:
                self._live.stop()  # transient: the line is erased
            self._live = self._spinner = None
        finally:
            self._busy = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ internals

    def _start_timer(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            self._closed = True  # signal handlers belong to the main thread: nothing is shown
            return
        self._previous_handler = signal.signal(signal.SIGALRM, self._tick)
        first = max(0.001, self._delay - (time.monotonic() - self._start))
        signal.setitimer(signal.ITIMER_REAL, first, _FRAME)
        self._ticking = True

    def _tick(self, signum, frame) -> None:
        if self._closed or self._busy or os.getpid() != self._pid:
            return
        self._busy = True
        try:
            if self._live is None:
                from rich.live import Live
                from rich.spinner import Spinner

                self._spinner = Spinner("dots", text=self._text, style="status.spinner")
                # No redirection of sys.stdout and sys.stderr: the line is gone before the report.
                self._live = Live(self._spinner, console=self._console, auto_refresh=False, transient=True,
                                  redirect_stdout=False, redirect_stderr=False)
                self._live.start(refresh=True)
            else:
                self._live.refresh()
        except Exception:  # a display that fails must not fail the run
            self._closed = True
        finally:
            self._busy = False


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
