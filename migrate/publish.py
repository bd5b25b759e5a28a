"""Commit the migrated files on a new branch without touching the user's checkout.

Two steps, so that the CLI can refuse at once and only then spend time on the analysis:

- `prepare` checks the repository and the branch name (read-only) and pins the
  commit the analysis reads (`Target.base_commit`).
- `publish` builds one commit on top of that base and creates the branch.

The repository, its HEAD and its branches are looked at through GitPython
(`migrate.gitcmd`); every git command runs through GitPython's command runner.

How the commit is built: with plumbing against a temporary index file in a
temporary directory outside the repository (`GIT_INDEX_FILE`), never with a
worktree. `fast-import` the new contents as blobs (one pack), `read-tree` the base,
`update-index --index-info` the changes, `write-tree`, `commit-tree -p base`, and
last `update-ref refs/heads/BRANCH NEW ""` (create-only; with --force the old value
is the expected one, so a concurrent change of the branch is not overwritten).
A temporary worktree (docs/DESIGN.md section 5 is about the guarantees, not the
means) would give the same guarantees with more to clean up: a worktree registers
itself under `.git/worktrees` and checks files out, and both would have to be undone
on every exit path (and would survive a SIGKILL), while here the user's HEAD, index,
working tree, stash, other branches and worktree list are never written at all.
Every git command runs with `GIT_DIR` and with `GIT_WORK_TREE` set to the
temporary directory, so even a git command that wanted a working tree could only
write there.

What may stay behind after a failure or an interruption: unreachable objects in
`.git/objects` (the new blobs, loose trees, the commit). They are
invisible, and `git gc` removes them (after `gc.pruneExpire`, two weeks by
default). Nothing else: no branch, no lock file, no worktree registration, no file
in the working tree. (Only if git itself is killed while writing objects, by a
signal sent to every process of the session or by SIGKILL, can a `tmp_pack_*` or
`tmp_obj_*` file remain under `.git/objects`; `git gc` removes those too.)

Interruption. During `publish`, SIGINT, SIGTERM and SIGHUP are recorded by a
handler instead of acting at once, and `publish` raises `Interrupted` (a
KeyboardInterrupt) at the next safe point. Raising inside the handler would let
the exception land anywhere: in the middle of removing the temporary directory,
or between creating the branch and noticing it. Git children run in their own
process group, so a Ctrl-C at the terminal reaches only this process, which
decides what happens to them: a command that only writes objects or the scratch
index is let finish (milliseconds; stopped half-way, fast-import would leave
`tmp_pack_*` files behind), while `update-ref`, which may wait on the user's
reference-transaction hook for any time, is stopped at once (within `_POLL`
seconds) with SIGTERM to its process group, on which git removes its lock file.
The branch is the commit point: if a signal arrived while `update-ref` ran, or
before the check that follows it (with `then`, the check that follows `then`), the
branch is put back as it was (deleted, or reset to its old value with --force)
before `Interrupted` is raised. A signal after that check is handed to the
previous handler once `publish` has restored it, as if it had come just after
`publish` returned. Signals the caller ignores (nohup) stay ignored; outside the
main thread no handler can be installed, and the caller's handling applies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence

from migrate import gitcmd
from migrate.errors import MigrateError

REGULAR_MODE, EXECUTABLE_MODE, SYMLINK_MODE = 0o100644, 0o100755, 0o120000
_MODES = (REGULAR_MODE, EXECUTABLE_MODE, SYMLINK_MODE)

FALLBACK_NAME, FALLBACK_EMAIL = "hm-migrate", "hm-migrate@localhost"

_POLL = 0.05  # seconds between checks for a signal while a stoppable git child runs

# A split or sparse index would keep a shared index file in .git, and an fsmonitor
# may start a daemon: none of that may happen for a throwaway index.
_INDEX_SETTINGS = (
    "-c", "core.splitIndex=false", "-c", "index.sparse=false", "-c", "core.sparseCheckout=false",
    "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false",
)


@dataclass(frozen=True)
class Target:
    """Where `publish` writes: checked by `prepare` before any analysis."""

    repo_dir: Path  # top of the working tree
    base_commit: str  # full sha of HEAD when prepared; the analysis reads this commit
    branch: str
    force: bool


class Interrupted(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP during `publish`, raised once everything is put back."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# ---------------------------------------------------------------- prepare


def prepare(repo_dir: Path, branch: str, force: bool) -> Target:
    """Check that BRANCH can be created in the repository at REPO_DIR; read-only."""
    repo_dir = Path(repo_dir)
    where = str(repo_dir)
    if not repo_dir.exists():
        raise MigrateError(f"{where}: no such directory")
    if not repo_dir.is_dir():
        raise MigrateError(f"{where}: not a directory")
    repo, top = _working_tree_top(repo_dir, where)
    base = _head_commit(repo, top, where)
    _check_branch_name(top, branch)
    _check_branch_free(top, branch, force, repo)
    return Target(top, base, branch, force)


def _working_tree_top(repo_dir: Path, where: str):
    """The repository (git.Repo) whose working tree's top is REPO_DIR, and that top."""
    try:
        repo = gitcmd.open_repository(repo_dir)
    except gitcmd.InvalidGitRepositoryError:
        # Not searched upwards: a directory inside some other repository is not that
        # repository (migrating it would commit on the enclosing project).
        raise MigrateError(f"{where}: not a git repository (use --out DIR to write the result elsewhere, or --dry-run)") from None
    if repo.bare:
        raise MigrateError(f"{where}: a bare repository has no working tree to migrate; clone it and run on the clone")
    if repo.working_tree_dir is None or not _same_directory(Path(repo.working_tree_dir), repo_dir):
        # REPO_DIR is the repository's .git directory, or another repository's git directory
        raise MigrateError(f"{where}: not a git working tree (use --out DIR to write the result elsewhere, or --dry-run)")
    return repo, Path(_checked(_query(repo_dir, "rev-parse", "--show-toplevel"), where).strip())


def _same_directory(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _head_commit(repo, top: Path, where: str) -> str:
    try:
        detached = repo.head.is_detached
    except (ValueError, OSError):  # a HEAD GitPython cannot parse: git says below what is wrong with it
        detached = False
    commit = _query(top, "rev-parse", "-q", "--verify", "HEAD^{commit}")
    if detached:
        at = f" at {commit.stdout.strip()[:12]}" if commit.returncode == 0 else ""
        raise MigrateError(f"{where}: HEAD is detached{at}; check out a branch first")
    symbolic = _query(top, "symbolic-ref", "-q", "HEAD")
    if symbolic.returncode != 0:
        from migrate.repo import unreadable_branch

        raise unreadable_branch(where, symbolic.stderr)
    if commit.returncode != 0:
        raise MigrateError(f"{where}: the repository has no commits yet")
    return commit.stdout.strip()


def _check_branch_name(top: Path, branch: str) -> None:
    checked = _query(top, "check-ref-format", "--branch", branch)
    # --branch also expands shorthands such as @{-1}; only a literal name will do.
    if checked.returncode != 0 or checked.stdout.strip() != branch:
        raise MigrateError(f"'{branch}' is not a valid branch name (see `git check-ref-format`)")


def _check_branch_free(top: Path, branch: str, force: bool, repo=None) -> Optional[str]:
    """The branch's current sha if it may be replaced, None if it does not exist."""
    ref = f"refs/heads/{branch}"
    checked_out = _checked_out_branches(top)
    if ref in checked_out:
        where = checked_out[ref]
        if Path(where) == top:
            raise MigrateError(f"'{branch}' is the branch checked out in {where}; choose another --branch NAME (--force never replaces it)")
        raise MigrateError(f"'{branch}' is checked out in the worktree {where}; choose another --branch NAME (--force never replaces it)")
    existing = _branches(repo if repo is not None else gitcmd.open_repository(top), top)
    if ref in existing:
        if not force:
            raise MigrateError(f"branch '{branch}' already exists; choose another --branch NAME, or --force replaces it")
        return _checked(_query(top, "rev-parse", "-q", "--verify", ref), str(top)).strip()
    for other in existing:
        if other.startswith(ref + "/") or ref.startswith(other + "/"):
            name = other.removeprefix("refs/heads/")
            raise MigrateError(f"branch '{branch}' cannot be created next to the existing branch '{name}'; choose another --branch NAME")
    return None


def _branches(repo, top: Path) -> set[str]:
    """Every branch's full ref name (GitPython reads them from the loose and packed refs)."""
    try:
        return {head.path for head in repo.heads}
    except (ValueError, TypeError, OSError) as err:
        raise MigrateError(f"{top}: the branches cannot be read ({err}); `git fsck` shows what is wrong") from None


def _checked_out_branches(top: Path) -> dict[str, str]:
    """Branch ref -> path of the worktree that has it checked out."""
    listing = _checked(_query(top, "worktree", "list", "--porcelain"), str(top))
    branches: dict[str, str] = {}
    path = ""
    for line in listing.splitlines():
        key, _, value = line.partition(" ")
        if key == "worktree":
            path = value
        elif key == "branch":
            branches[value] = path
    return branches


# ---------------------------------------------------------------- publish


def publish(target: Target, files: Mapping[str, Optional[tuple[bytes, int]]], message: str,
            then: Optional[Callable[[str], None]] = None) -> str:
    """Commit FILES on top of target.base_commit as branch target.branch; the new sha.

    FILES maps repo-relative POSIX paths to (content, mode) to add or replace (for a
    symlink the content is its target), or to None to delete; deleting a path the
    base does not have is a no-op. Paths not mentioned keep their base content; a
    file that would silently replace a directory of base files (or the reverse) is
    refused, those files must be deleted explicitly.

    THEN(sha), if given, runs once the branch exists, before the commit point: a
    signal while it runs waits for its end, and a signal or an exception from it
    takes the branch back. The CLI prints its report there, so that an interrupted
    report does not leave a branch behind a message saying nothing was written.
    """
    changes = _checked_changes(files)
    with _Interrupts() as interrupts, tempfile.TemporaryDirectory(prefix="hm-migrate-") as scratch:
        git = _Plumbing(target.repo_dir, Path(scratch), interrupts)
        names = _write_blobs(git, target.base_commit, changes)
        tree = _write_tree(git, target.base_commit, changes, names)
        commit = _commit(git, tree, target.base_commit, message)
        _create_branch(git, target, commit, then)
        return commit


def _checked_changes(files: Mapping[str, Optional[tuple[bytes, int]]]) -> dict[str, Optional[tuple[bytes, int]]]:
    for path, entry in files.items():
        if not _is_repo_path(path):
            raise ValueError(f"{path!r}: not a repo-relative POSIX path")
        if entry is None:
            continue
        content, mode = entry
        if mode not in _MODES:
            raise ValueError(f"{path}: mode {mode:o} is not one of {', '.join(f'{m:o}' for m in _MODES)}")
        if not isinstance(content, bytes):
            raise TypeError(f"{path}: content must be bytes, not {type(content).__name__}")
    return dict(files)


def _is_repo_path(path: str) -> bool:
    # git itself skips such paths with a warning on stderr and exit status 0, so a
    # planner bug would vanish silently.
    if not isinstance(path, str) or not path or "\0" in path:
        return False
    return all(part not in ("", ".", "..") and part.lower() != ".git" for part in path.split("/"))


def _write_blobs(git: "_Plumbing", base: str, changes: dict) -> dict[str, str]:
    """Path -> object name of every added or replaced file, all written by one
    `git fast-import` (one pack).

    One process for all of them rather than `hash-object -w` on a temporary copy of
    each file: on a slow disk every small file created costs about a millisecond, and
    hash-object creates two per blob (the copy, the loose object). fast-import reads
    the blobs from its input and says each one's name in its marks file.
    """
    paths = [path for path, entry in changes.items() if entry is not None]
    if not paths:
        return {}
    stream = bytearray()
    for mark, path in enumerate(paths, start=1):
        git.interrupts.check()
        content = changes[path][0]
        stream += b"blob\nmark :%d\ndata %d\n" % (mark, len(content))
        stream += content
        stream += b"\n"
    stream += b"done\n"  # with --done, input cut short is an error, not a smaller import
    marks = git.scratch / "marks"
    git.fast_import(bytes(stream), marks)
    names = {}
    for line in marks.read_bytes().decode("ascii").splitlines():
        mark, name = line.split()
        names[paths[int(mark.removeprefix(":")) - 1]] = name
    if len(names) != len(paths):
        raise MigrateError(f"git fast-import named {len(names)} of {len(paths)} files")
    return names


def _write_tree(git: "_Plumbing", base: str, changes: dict, names: dict[str, str]) -> str:
    git.run("read-tree", base)
    before = _indexed_paths(git)
    zero = "0" * len(base)  # the null object name of the repository's hash (sha1 or sha256)
    # Deletions first, so that a file may take the place of a directory deleted with it.
    records = [f"0 {zero}\t{path}" for path, entry in changes.items() if entry is None]
    records += [f"{entry[1]:o} {names[path]}\t{path}" for path, entry in changes.items() if entry is not None]
    if records:
        git.run("update-index", "-z", "--index-info", input=b"".join(os.fsencode(r) + b"\0" for r in records))
    expected = (before - {p for p, e in changes.items() if e is None}) | {p for p, e in changes.items() if e is not None}
    lost = sorted(expected - _indexed_paths(git))
    if lost:
        # --index-info replaces a directory by a file (and the reverse) without a word.
        raise ValueError(f"{lost[0]}: would be dropped by a file or directory of the same name; delete it explicitly")
    return git.run("write-tree").decode().strip()


def _indexed_paths(git: "_Plumbing") -> set[str]:
    return {os.fsdecode(p) for p in git.run("ls-files", "-z").split(b"\0") if p}


def _commit(git: "_Plumbing", tree: str, base: str, message: str) -> str:
    text = message if message.endswith("\n") else message + "\n"
    output = git.run("commit-tree", tree, "-p", base, "-F", "-", input=text.encode(), env=_identity(git))
    return output.decode().strip()


def _identity(git: "_Plumbing") -> dict[str, str]:
    """Fallback author and committer for what neither git config nor the environment sets.

    Git would otherwise guess from the login and host name, or refuse; writing
    user.name into the user's config is not ours to do.
    """
    listing = git.run("config", "-z", "--get-regexp", r"^(user|author|committer)\.(name|email)$", allowed=(0, 1))
    configured = set()
    for record in listing.split(b"\0"):
        key, _, value = record.partition(b"\n")
        if value.strip():
            configured.add(key.decode().lower())
    fallback = {}
    for role in ("author", "committer"):
        for field, default in (("name", FALLBACK_NAME), ("email", FALLBACK_EMAIL)):
            variable = f"GIT_{role.upper()}_{field.upper()}"
            if os.environ.get(variable) or f"{role}.{field}" in configured or f"user.{field}" in configured:
                continue
            if field == "email" and os.environ.get("EMAIL"):
                continue  # git's documented fallback for the address
            fallback[variable] = default
    return fallback


def _create_branch(git: "_Plumbing", target: Target, commit: str, then: Optional[Callable[[str], None]] = None) -> None:
    ref = f"refs/heads/{target.branch}"
    # Again: during the analysis the branch may have been created or checked out.
    old = _check_branch_free(target.repo_dir, target.branch, target.force)
    try:
        git.run("update-ref", "-m", f"hm-migrate: {target.branch}", ref, commit, old or "", stoppable=True)
        git.interrupts.check()
        if then is not None:
            then(commit)
            git.interrupts.check()
    except BaseException:
        _restore_branch(git, ref, commit, old)
        raise


def _restore_branch(git: "_Plumbing", ref: str, ours: str, old: Optional[str]) -> None:
    """Undo our update of REF, if it happened, and only if nobody moved REF since."""
    current = git.run("rev-parse", "-q", "--verify", ref, allowed=(0, 1), shielded=True).decode().strip()
    if current != ours:
        return
    if old:
        undo = ("update-ref", "-m", "hm-migrate: interrupted, restored", ref, old, ours)
    else:
        undo = ("update-ref", "-d", ref, ours)
    try:
        git.run(*undo, shielded=True)
    except MigrateError as err:
        by_hand = f"git update-ref {ref} {old}" if old else f"git update-ref -d {ref}"
        raise MigrateError(f"interrupted after writing {ref}, which could not be put back ({err}); run `{by_hand}`") from None


# ---------------------------------------------------------------- processes


class _Interrupts:
    """Records the first terminating signal; `check` raises it at safe points."""

    _NAMES = ("SIGINT", "SIGTERM", "SIGHUP")

    def __init__(self) -> None:
        self.signum: Optional[int] = None
        self._raised = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> "_Interrupts":
        if threading.current_thread() is not threading.main_thread():
            return self  # signal.signal() works only there
        for name in self._NAMES:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            previous = signal.getsignal(signum)
            if previous is signal.SIG_IGN or previous is None:
                continue  # ignored on purpose (nohup), or a C handler we could not put back
            self._previous[signum] = signal.signal(signum, self._record)
        return self

    def _record(self, signum, frame) -> None:
        if self.signum is None:
            self.signum = signum

    @property
    def pending(self) -> bool:
        return self.signum is not None

    def check(self) -> None:
        if self.signum is not None:
            self._raised = True
            raise Interrupted(self.signum)

    def __exit__(self, kind, error, trace) -> bool:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        if self.signum is None or self._raised:
            return False
        if error is not None:
            # Failed with a signal pending: most likely the signal reached git too and
            # made it fail, so report the signal.
            raise Interrupted(self.signum) from error
        if self.signum in self._previous:
            signal.raise_signal(self.signum)  # arrived after the commit point: the caller's to handle
        return False


class _Plumbing:
    """Runs git on the repository with the scratch index, minding signals.

    After a signal, a command that only writes objects (or the scratch index) is
    let finish, which takes milliseconds, and the signal acts after it: stopped
    half-way, fast-import would leave tmp_pack_* files in .git/objects. Only commands
    that may wait on the user's hooks for as long as they like are STOPPABLE.
    SHIELDED commands, which undo our own writes, ignore signals altogether.
    """

    def __init__(self, repo_dir: Path, scratch: Path, interrupts: _Interrupts):
        self.scratch = scratch
        self.interrupts = interrupts
        self.git_dir = _checked(_query(repo_dir, "rev-parse", "--absolute-git-dir"), str(repo_dir)).strip()
        self._env = {
            "GIT_DIR": self.git_dir,
            "GIT_WORK_TREE": str(scratch),
            "GIT_INDEX_FILE": str(scratch / "index"),
        }

    def run(self, *args: str, input: bytes = b"", env: Optional[dict] = None, allowed=(0,),
            stoppable: bool = False, shielded: bool = False) -> bytes:
        """Git's stdout; Interrupted if a signal came before or while it ran."""
        output, errors, status = self._run(args, input, env, stoppable, shielded)
        if status not in allowed:
            raise MigrateError(f"git {args[0]} failed: {gitcmd.first_line(errors.decode(errors='replace')) or f'exit status {status}'}")
        return output

    def fast_import(self, stream: bytes, marks: Path) -> None:
        """Blobs in STREAM written to the repository by `git fast-import`, their names to MARKS."""
        # --depth=0: every blob stored whole, as the hand-written pack did; trying a delta
        # against the blob before costs a sixth of the import, and `git gc` makes deltas later.
        args = ("fast-import", "--quiet", "--done", "--depth=0", f"--export-marks={marks}")
        _, errors, status = self._run(args, stream, None, False, False)
        if status != 0:
            # On bad input fast-import leaves a crash report in the git directory, named
            # after its process: the user's .git is not the place for our mistakes.
            crash = Path(self.git_dir) / f"fast_import_crash_{self._last_pid}"
            crash.unlink(missing_ok=True)
            raise MigrateError(f"git fast-import failed: {gitcmd.first_line(errors.decode(errors='replace')) or f'exit status {status}'}")

    def _run(self, args: Sequence[str], input: bytes, env: Optional[dict], stoppable: bool,
             shielded: bool) -> tuple[bytes, bytes, int]:
        if not shielded:
            self.interrupts.check()
        # Input comes from a file: communicate() cannot go on feeding a pipe after a timeout.
        with tempfile.TemporaryFile(dir=self.scratch) as stdin:
            stdin.write(input)
            stdin.seek(0)
            # In its own process group: a terminal's Ctrl-C is for us; we stop git ourselves.
            process = gitcmd.start(self.scratch, [*_INDEX_SETTINGS, *args], stdin=stdin,
                                   env={**self._env, **(env or {})}, own_process_group=True)
        self._last_pid = process.pid
        try:
            output, errors = self._wait(process) if stoppable else process.communicate()
        except BaseException:
            if process.poll() is None:  # once reaped, its pid may belong to someone else
                gitcmd.stop(process)
            raise
        if not shielded:
            self.interrupts.check()  # before the exit status: a stopped command fails because of the signal
        return output, errors, process.returncode

    def _wait(self, process: subprocess.Popen) -> tuple[bytes, bytes]:
        while True:
            try:
                return process.communicate(timeout=_POLL)
            except subprocess.TimeoutExpired:
                if self.interrupts.pending:
                    return gitcmd.stop(process)


@dataclass(frozen=True)
class _Answer:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def _query(cwd: Path, *args: str) -> _Answer:
    """A read-only git command in CWD; its result, whatever the exit status."""
    status, out, err = gitcmd.run(cwd, *args, allowed=range(-64, 256))
    decode = lambda data: data.decode("utf-8", "surrogateescape")  # noqa: E731
    return _Answer(("git", *args), status, decode(out), decode(err))


def _checked(result: _Answer, where: str) -> str:
    if result.returncode != 0:
        raise MigrateError(f"{where}: git {result.args[1]} failed: {gitcmd.first_line(result.stderr)}")
    return result.stdout
