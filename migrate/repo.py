"""Git access: find the repository and snapshot its committed HEAD.

The repository and its state come from GitPython (`migrate.gitcmd`); HEAD's files
are read with plumbing run by GitPython's command runner, never through GitPython's
object database (see `head_snapshot`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from migrate import gitcmd
from migrate.errors import MigrateError
from migrate.snapshot import REGULAR, SYMLINK, Snapshot, _Entry


def git_toplevel(path: Path) -> Optional[Path]:
    """The work tree root when PATH is exactly the top of a git repository, else None.

    A sample directory inside some other repository is not that repository: treating
    it as one would migrate the enclosing project.
    """
    if not (path / ".git").exists():
        return None
    return path.resolve()


@dataclass(frozen=True)
class Repository:
    working_tree_dir: str
    repo: object  # git.Repo


def open_repository(path: Path) -> Repository:
    try:
        repo = gitcmd.open_repository(path)
    except gitcmd.InvalidGitRepositoryError:
        repo = None
    if repo is None or repo.bare or repo.working_tree_dir is None:
        raise MigrateError(f"{path}: not a git repository (use --out DIR or --dry-run)")
    return Repository(str(path), repo)


class DamagedRepository(MigrateError):
    pass


def head_snapshot(repo, commit_sha: Optional[str] = None) -> Snapshot:
    """The committed HEAD tree (or COMMIT_SHA's); the working tree is never read.

    Read with plumbing rather than through GitPython's object database: its persistent
    `cat-file --batch` waits forever for the rest of an object whose stored data is
    shorter than its header says, and git itself does not check. Here one `ls-tree`
    lists the tree, one `cat-file --batch` run to its end returns every blob, and each
    blob's hash is checked, so a damaged repository is refused instead of hanging or
    being misread.
    """
    where = repo.working_tree_dir
    if commit_sha is None:
        head = _git(where, "rev-parse", "-q", "--verify", "HEAD^{commit}", check=False)
        if head.returncode != 0:
            symbolic = _git(where, "symbolic-ref", "-q", "HEAD", check=False)
            if symbolic.returncode not in (0, 1):  # 0: a branch without commits; 1: detached
                raise unreadable_branch(where, symbolic.stderr.decode("utf-8", "replace"))
            raise MigrateError(f"{where}: the repository has no commits yet")
        commit_sha = head.stdout.decode("ascii").strip()
    listing = _git(where, "ls-tree", "-r", "-z", "-l", "--full-tree", commit_sha).stdout
    items = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, sha, size = meta.split()
        if kind != b"blob":
            continue  # trees are implied by their blobs; submodules ('commit') are left alone
        if not size.isdigit():  # ls-tree -l says "BAD" when it cannot read the object
            raise _damaged(where, sha.decode("ascii"))
        items.append((int(mode, 8), sha.decode("ascii"), int(size), os.fsdecode(raw_path)))
    contents = _blobs(where, [sha for _, sha, _, _ in items])
    entries: dict[str, _Entry] = {}
    for mode, sha, size, path in items:
        kind = SYMLINK if (mode & 0o170000) == 0o120000 else REGULAR
        entries[path] = _Entry(kind, size, lambda data=contents[sha]: data, bool(mode & 0o111))
    return Snapshot(entries, f"{where}@{commit_sha[:12]}")


def unreadable_branch(where, git_stderr: str) -> MigrateError:
    """HEAD names a branch whose ref git cannot read (`git symbolic-ref` fails)."""
    lines = [line.strip().removeprefix("fatal: ") for line in git_stderr.splitlines() if line.strip()]
    return DamagedRepository(f"{where}: the current branch cannot be read ({lines[0] if lines else 'git symbolic-ref failed'}); "
                             "`git fsck` shows what is wrong")


def _git(where, *args: str, input: Optional[bytes] = None, check: bool = True) -> "_Result":
    # GIT_OPTIONAL_LOCKS=0: every command here only reads, and this keeps git from
    # writing the index (or another optional lock) back anyway.
    try:
        status, out, err = gitcmd.run(where, *args, input=input, env={"GIT_OPTIONAL_LOCKS": "0"},
                                      allowed=range(256) if not check else (0,))
    except gitcmd.GitCommandError as failed:
        message = gitcmd.stderr_of(failed).strip().splitlines()
        raise DamagedRepository(f"{where}: the repository cannot be read (git {args[0]}: "
                                f"{message[-1] if message else f'exit status {failed.status}'}); "
                                "`git fsck` shows what is wrong") from None
    return _Result(status, out, err)


@dataclass(frozen=True)
class _Result:
    returncode: int
    stdout: bytes
    stderr: bytes


def _blobs(where, shas: list[str]) -> dict[str, bytes]:
    """Every blob of SHAS by its name, each checked against its name."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    out = _git(where, "cat-file", "--batch", input="".join(f"{sha}\n" for sha in wanted).encode("ascii")).stdout
    blobs: dict[str, bytes] = {}
    at = 0
    for sha in wanted:
        end = out.find(b"\n", at)
        header = out[at:end].split() if end >= 0 else []
        if len(header) != 3 or header[0].decode("ascii", "replace") != sha or header[1] != b"blob":
            raise _damaged(where, sha)
        size = int(header[2])
        data = out[end + 1: end + 1 + size]
        at = end + 1 + size + 1
        if len(data) != size or out[at - 1: at] != b"\n" or _object_name(data, len(sha)) != sha:
            raise _damaged(where, sha)
        blobs[sha] = data
    return blobs


def _object_name(data: bytes, length: int) -> str:
    digest = hashlib.sha1() if length == 40 else hashlib.sha256()
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def _damaged(where, sha: str) -> DamagedRepository:
    return DamagedRepository(f"{where}: the repository is damaged: object {sha} is missing or corrupt; "
                             "`git fsck` shows what is wrong")


def is_dirty(repository: Repository) -> bool:
    """Tracked changes in the index or the working tree.

    `git --no-optional-locks status` rather than GitPython's `Repo.is_dirty`: the
    `git diff` that one runs writes the index back after refreshing its stat data
    (GIT_OPTIONAL_LOCKS=0 does not stop it, measured with git 2.39), so one touched
    file would change the user's .git/index although nothing in the repository did.
    """
    try:
        _, out, _ = gitcmd.run(repository.working_tree_dir, "--no-optional-locks", "status", "--porcelain",
                               "--untracked-files=no")
    except gitcmd.GitCommandError as failed:
        raise MigrateError(f"{repository.working_tree_dir}: git status failed: "
                           f"{gitcmd.first_line(gitcmd.stderr_of(failed)) or f'exit status {failed.status}'}") from None
    return bool(out.strip())


def short_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
