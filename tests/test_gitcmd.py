"""migrate.gitcmd: GitPython as hm-migrate uses it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate import gitcmd

SAMPLES = Path(__file__).resolve().parents[1] / "sample-configs"
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def committed(tmp_path: Path, sample: str = "ian-style") -> Path:
    repo = tmp_path / "dotfiles"
    shutil.copytree(SAMPLES / sample, repo)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **GIT_ENV}
    for command in (["init", "-q", "--template=", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True)
    return repo


def test_the_repository_has_no_object_database_to_hang_on(tmp_path):
    # GitPython's default one keeps `git cat-file --batch` running and waited forever
    # for the rest of a truncated object.
    repo = gitcmd.open_repository(committed(tmp_path))
    assert repo.head.is_detached is False
    assert [head.path for head in repo.heads] == ["refs/heads/main"]
    with pytest.raises(AssertionError, match="reads no object through GitPython"):
        repo.head.commit
    with pytest.raises(AssertionError, match="reads no object through GitPython"):
        repo.odb.stream


def test_a_folder_inside_a_repository_is_not_one(tmp_path):
    repo = committed(tmp_path)
    with pytest.raises(gitcmd.InvalidGitRepositoryError):
        gitcmd.open_repository(repo / "nixos")


def test_variables_naming_another_repository_are_forgotten(tmp_path, monkeypatch):
    repo = committed(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    subprocess.run(["git", "init", "-q", "--template=", str(other)], check=True)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    opened = gitcmd.open_repository(repo)
    assert "GIT_DIR" not in os.environ and "GIT_WORK_TREE" not in os.environ
    assert Path(opened.working_tree_dir) == repo
    _, out, _ = gitcmd.run(repo, "rev-parse", "--show-toplevel")
    assert Path(out.decode().strip()) == repo.resolve()


def test_a_failing_command_carries_git_stderr(tmp_path):
    repo = committed(tmp_path)
    with pytest.raises(gitcmd.GitCommandError) as failed:
        gitcmd.run(repo, "rev-parse", "--verify", "no-such-branch")
    assert failed.value.status == 128
    assert gitcmd.first_line(gitcmd.stderr_of(failed.value)) == "Needed a single revision"
    status, _, err = gitcmd.run(repo, "rev-parse", "--verify", "no-such-branch", allowed=(128,))
    assert status == 128 and b"Needed a single revision" in err


def test_without_git_the_run_says_so(tmp_path):
    repo = committed(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **GIT_ENV, "PATH": str(empty)}
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--dry-run"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 1, result
    assert result.stderr == "migrate: git is not installed (or not on PATH)\n"
