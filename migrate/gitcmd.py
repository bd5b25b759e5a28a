"""Git through GitPython, on the terms hm-migrate needs.

GitPython finds the repository and answers questions about its state (`git.Repo`:
its working tree, whether it is bare, dirty, on a detached HEAD, which branches
exist), and its command runner (`git.Git.execute`) runs every git command, with
`GitCommandError` carrying git's stderr when one fails.

What is not used: GitPython's object database. Its default one keeps one
`git cat-file --batch` running for the life of the `Repo` and reads each object's
data after its header; when the stored data is shorter than the header says (a
truncated object, which git does not notice), it waits for the rest forever: a run
hung on such a repository. `open_repository` gives the `Repo` an object database that
refuses to be used, and every object is read by `migrate.repo.head_snapshot` with a
`cat-file --batch` that runs to its end, each blob checked against its name.

Variables such as GIT_DIR, inherited from a git hook, name another repository than
the one on the command line. GitPython reads some of them when it opens a `Repo` and
passes the whole process environment to every git command (an `env` argument can
add variables, not remove them), so they are removed from this process's environment
before the first git command (`forget_other_repositories`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Optional, Sequence

# Without this, importing GitPython on a machine without git raises ImportError with
# a page of advice; the first command then fails with GitCommandNotFound instead,
# which `run` and `start` turn into one sentence.
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

import git  # noqa: E402  (GitPython)
from git.exc import GitCommandError, GitCommandNotFound, InvalidGitRepositoryError, NoSuchPathError  # noqa: E402

from migrate.errors import MigrateError  # noqa: E402

__all__ = [
    "GitCommandError", "REPOSITORY_VARIABLES", "forget_other_repositories", "open_repository", "run", "start",
    "stderr_of", "stop",
]

# Variables that would point git at another repository, index or object store than
# the one we name; inherited from a git hook, they would redirect our reads and writes.
REPOSITORY_VARIABLES = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX",
    "GIT_CEILING_DIRECTORIES", "GIT_QUARANTINE_PATH", "GIT_REPLACE_REF_BASE",
)

NOT_INSTALLED = "git is not installed (or not on PATH)"

_GRACE = 5.0  # seconds a stopped git child gets to remove its lock files before SIGKILL


def forget_other_repositories() -> None:
    for name in REPOSITORY_VARIABLES:
        os.environ.pop(name, None)


class _NoObjectDatabase:
    """The `Repo`'s object database: never used (see the module's docstring)."""

    def __init__(self, root_path, *_):
        self.root_path = root_path

    def __getattr__(self, name):
        raise AssertionError(f"hm-migrate reads no object through GitPython's object database ({name})")


def open_repository(path: Path) -> git.Repo:
    """The repository whose top (or git directory) is exactly PATH.

    Raises InvalidGitRepositoryError when PATH is neither: a directory inside some
    other repository is not that repository (migrating it would commit on the
    enclosing project), so parent directories are not searched.
    """
    forget_other_repositories()
    try:
        return git.Repo(path, odbt=_NoObjectDatabase, search_parent_directories=False, expand_vars=False)
    except NoSuchPathError:
        raise MigrateError(f"{path}: no such directory") from None


def runner(where) -> git.Git:
    """GitPython's command runner in WHERE (a directory)."""
    forget_other_repositories()
    return git.Git(str(where))


def start(where, args: Sequence[str], *, stdin=None, env: Optional[dict] = None,
          own_process_group: bool = False) -> subprocess.Popen:
    """`git ARGS` started by GitPython's runner in WHERE; the caller waits for it.

    STDIN is a file (or None for no input). OWN_PROCESS_GROUP keeps a terminal's
    Ctrl-C from reaching git and its hooks: the caller decides when to stop them.
    """
    extra = {"process_group": 0} if own_process_group else {}
    try:
        handle = runner(where).execute(
            [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", *args], as_process=True, istream=stdin, env=env, **extra,
        )
    except GitCommandNotFound:
        raise MigrateError(NOT_INSTALLED) from None
    process = handle.proc
    handle.proc = None  # ours to wait for and to stop: GitPython's finaliser would only signal git itself
    return process


def run(where, *args: str, input: Optional[bytes] = None, env: Optional[dict] = None,
        allowed: Sequence[int] = (0,)) -> tuple[int, bytes, bytes]:
    """(exit status, stdout, stderr) of `git ARGS` in WHERE, fed INPUT.

    Raises GitCommandError (with git's stderr) when the status is not in ALLOWED.
    Interrupted meanwhile (KeyboardInterrupt from a signal handler), git is stopped
    before the interruption goes on.
    """
    with tempfile.TemporaryFile() if input is not None else _no_file() as stdin:
        if input is not None:
            stdin.write(input)
            stdin.seek(0)
        process = start(where, args, stdin=stdin, env=env)
    try:
        out, err = process.communicate()
    except BaseException:
        if process.poll() is None:  # once reaped, its pid may belong to someone else
            stop(process, group=False)
        raise
    if process.returncode not in allowed:
        raise GitCommandError(["git", *args], process.returncode, err, out)
    return process.returncode, out, err


class _no_file:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def stop(process: subprocess.Popen, group: bool = True) -> tuple[bytes, bytes]:
    """End PROCESS (and its process group: the hooks git waits for), giving git the
    chance to remove its lock files; what it wrote to stdout and stderr."""
    _signal(process, signal.SIGTERM, group)
    try:
        return process.communicate(timeout=_GRACE)
    except subprocess.TimeoutExpired:
        _signal(process, signal.SIGKILL, group)  # stuck elsewhere than in git's own cleanup
        return process.communicate()


def _signal(process: subprocess.Popen, signum: int, group: bool) -> None:
    try:
        if group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
    except ProcessLookupError:
        pass


def stderr_of(error: GitCommandError) -> str:
    """Git's own stderr from ERROR (GitPython keeps it decorated for its str())."""
    text = error.stderr or ""
    return text.removeprefix("\n  stderr: '").removesuffix("'")


def first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return ""


def is_repository_error(error: BaseException) -> bool:
    return isinstance(error, InvalidGitRepositoryError)
