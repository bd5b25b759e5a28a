"""Keeping an interruption out of the few statements that start a process and record it.

An interrupted run stops every process it started (nix-instantiate, the forked child)
before it exits. A signal handled between a process's start and the line that records
it would leave that process running, unrecorded, after the run has ended: around
those statements SIGINT, SIGTERM and SIGHUP wait, and arrive as soon as they end.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager

_HELD = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def interruptions_held():
    """Signals wait until the block ends; on leaving, one that came meanwhile is handled
    (its KeyboardInterrupt raised) as the block ends, not inside it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def release_in_child() -> None:
    """In a forked child: the default action for these signals, and none of them held."""
    for signum in _HELD:
        signal.signal(signum, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
