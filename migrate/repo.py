"""Git access: find the repository and snapshot its committed HEAD."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

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


def open_repository(path: Path):
    import git

    try:
        repository = git.Repo(path)
        # Every git command GitPython runs for us only reads; this keeps git from writing
        # the index (or any other optional lock) back as a side effect of reading.
        repository.git.update_environment(GIT_OPTIONAL_LOCKS="0")
        return repository
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise MigrateError(f"{path}: not a git repository (use --out DIR or --dry-run)") from None


def head_snapshot(repo, commit_sha: Optional[str] = None) -> Snapshot:
    """The committed HEAD tree (or COMMIT_SHA's); the working tree is never read."""
    import git

    try:
        commit = repo.commit(commit_sha) if commit_sha else repo.head.commit
    except ValueError:
        raise MigrateError(f"{repo.working_tree_dir}: the repository has no commits yet") from None
    entries: dict[str, _Entry] = {}
    for item in commit.tree.traverse():
        if item.type != "blob":
            continue  # trees are implied by their blobs; submodules ('commit') are left alone
        mode = item.mode
        kind = SYMLINK if (mode & 0o170000) == 0o120000 else REGULAR
        entries[item.path] = _Entry(kind, item.size, lambda b=item: b.data_stream.read(), bool(mode & 0o111))
    label = f"{repo.working_tree_dir}@{commit.hexsha[:12]}"
    return Snapshot(entries, label)


def is_dirty(repo) -> bool:
    # Without --no-optional-locks, `git status` (and the `git diff` GitPython runs)
    # write the index back after refreshing its stat data: one touched file and the
    # user's .git/index changes although nothing in the repository did.
    status = repo.git.execute(["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no"])
    return bool(status.strip())


def short_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
