"""Work done on the machine's other core while the run goes on.

Verification analyses the whole planned tree a second time, and nothing after it
needs its result before the report is printed: the diff, the notes and the report can
be built meanwhile. Threads would not run Python in parallel, so a forked child does
the work and sends its result back through a pipe.

The child only computes: it reads and writes no file, so it can be killed at any
moment and leaves nothing behind. Whenever the child does not deliver a result
(an exception, a crash, no `os.fork`), the work is simply done again here, in this
process: the outcome, a refusal or a bug's traceback included, is then exactly what
it would have been without a second core.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys

from migrate.signal_mask import interruptions_held, release_in_child


class InBackground:
    """`work()` started in a forked child; `result()` waits for it (or computes it here)."""

    def __init__(self, work):
        self._work = work
        self._pid = None
        self._reader = None
        if not hasattr(os, "fork"):
            return
        sys.stdout.flush()
        sys.stderr.flush()
        # Objects the collector would walk are written to (their headers), and each write
        # copies a shared page: frozen, neither process walks what existed at the fork.
        gc.freeze()
        read_end, write_end = os.pipe()
        try:
            with interruptions_held():  # until the child is recorded here, to be stopped
                pid = os.fork()
                if pid == 0:  # the child never returns from here
                    os.close(read_end)
                    _child(work, write_end)
                self._pid = pid
                self._reader = os.fdopen(read_end, "rb")
                os.close(write_end)
        except BaseException:  # an interruption held meanwhile is raised as the block ends
            self.close()
            raise

    def result(self):
        if self._pid is not None:
            try:
                data = self._reader.read()
            finally:
                self.close()
            try:
                if data:
                    return pickle.loads(data)
            except Exception:  # a child killed while writing: its half result is not one
                pass
        return self._work()

    def close(self) -> None:
        """Stop the child if it still runs and collect it; safe to call twice."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        if self._reader is not None:
            self._reader.close()
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)

    def __enter__(self) -> "InBackground":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _child(work, write_end: int) -> None:
    # Ctrl-C reaches the whole process group: the child just ends; the parent cleans up.
    release_in_child()
    gc.disable()  # short-lived: what it leaves uncollected goes with it
    status = 1
    try:
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        status = 0
    except BaseException:  # the parent does the work again and meets the error itself
        pass
    finally:
        # No atexit handlers, no flushing of buffers the parent also holds.
        os._exit(status)
