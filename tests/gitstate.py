"""Everything a user could notice about a git repository, to compare before and after a run.

`repo_state(path)` is a plain dict, so `assert repo_state(repo) == before` shows what
changed; `changed(before, after)` narrows a failure down to the keys that differ.
Loose objects and reflogs are left out: git creates them as a side effect of
reading (or writing unreachable objects) and they change nothing the user sees.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path


def git(repo: Path, *args: str, check: bool = True) -> str:
    """stdout of a read-only git command, with the environment of a plain shell."""
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {repo}: {result.stderr}")
    return result.stdout


def repo_state(path) -> dict:
    repo = Path(path)
    common_dir = (repo / git(repo, "rev-parse", "--git-common-dir").strip()).resolve()
    index = Path(git(repo, "rev-parse", "--path-format=absolute", "--git-path", "index").strip())
    symbolic = git(repo, "symbolic-ref", "-q", "HEAD", check=False).strip() or None
    return {
        "head": (symbolic, git(repo, "rev-parse", "-q", "--verify", "HEAD", check=False).strip() or None),
        "index": index.read_bytes() if index.exists() else None,
        "working_tree": working_tree(repo),
        "refs": git(repo, "for-each-ref", "--format=%(refname) %(objectname) %(symref)").splitlines(),
        "worktrees": git(repo, "worktree", "list", "--porcelain"),
        "stash": git(repo, "stash", "list").splitlines(),
        "locks": sorted(str(p.relative_to(common_dir)) for p in _walk(common_dir) if p.name.endswith(".lock")),
        "git_files": sorted(
            str(p.relative_to(common_dir)) for p in _walk(common_dir)
            if p.relative_to(common_dir).parts[0] not in ("objects", "logs")
        ),
        "config": (common_dir / "config").read_bytes(),
    }


def working_tree(repo: Path) -> dict[str, tuple]:
    """Path -> ('dir', mode) | ('file', mode, bytes) | ('link', target), .git excluded."""
    entries: dict[str, tuple] = {}
    for item in _walk(repo, skip_top=(".git",), with_dirs=True):
        name = item.relative_to(repo).as_posix()
        info = item.lstat()
        if stat.S_ISLNK(info.st_mode):
            entries[name] = ("link", os.readlink(item))
        elif stat.S_ISDIR(info.st_mode):
            entries[name] = ("dir", stat.S_IMODE(info.st_mode))
        else:
            entries[name] = ("file", stat.S_IMODE(info.st_mode), item.read_bytes())
    return entries


def changed(before: dict, after: dict) -> dict:
    """The keys whose values differ, as (before, after); for working_tree, per path."""
    diff = {key: (before.get(key), after.get(key)) for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    if "working_tree" in diff:
        old, new = diff["working_tree"]
        diff["working_tree"] = {p: (old.get(p), new.get(p)) for p in old.keys() | new.keys() if old.get(p) != new.get(p)}
    return diff


def _walk(top: Path, skip_top=(), with_dirs=False):
    for root, dirs, files in os.walk(top):
        if Path(root) == top:
            dirs[:] = [d for d in dirs if d not in skip_top]
            files = [f for f in files if f not in skip_top]
        dirs.sort()
        for name in sorted(files):
            yield Path(root, name)
        if with_dirs:
            for name in dirs:
                yield Path(root, name)
