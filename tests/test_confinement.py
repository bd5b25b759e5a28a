"""The tool never follows a symlink out of the repository, never reads an absolute path,
and never writes outside its temporary directories and `--out`: proved in-process.

A `sys.addaudithook` hook records every file the Python side opens, lists or
changes, and every process it starts, while the CLI runs through click's
CliRunner on a repository that plants every way out: a symlink to a canary file
beside the repository (absolute and relative), a symlinked folder leading out,
an import of the canary by absolute path, `builtins.readFile` of an absolute
path and of a relative path leaving the repository. Then:

- nothing outside the repository (and its .git) is read, except the Python
  installation and the package's own modules; the canary and every absolute path
  named in the repository's code are never opened, listed or passed to a process;
- everything written is inside `--out`, or inside a temporary directory the run
  created and removed again (the scratch directory is empty afterwards);
- processes (git, nix-instantiate) start in the repository or in those temporary
  directories. They are separate processes, so for them the proof is indirect:
  the repository is unchanged (`repo_state`) and their arguments never name the
  canary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import migrate
from gitstate import changed, repo_state
from migrate.cli import command

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample-configs"
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CHANGES = {"os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink", "os.link",
            "os.chmod", "os.chown", "os.utime", "os.truncate", "shutil.rmtree", "shutil.copyfile",
            "shutil.copymode", "shutil.copystat", "shutil.move", "os.removexattr", "os.setxattr"}
_LISTS = {"os.listdir", "os.scandir"}


class Recorder:
    """Audit events of interest while `active`; an audit hook cannot be removed, so the
    one installed stays for the whole session and records only inside `with`."""

    installed = None

    def __init__(self):
        self.active = False
        self.reads: list[str] = []
        self.writes: list[tuple[str, str]] = []
        self.processes: list[tuple[list[str], str]] = []
        self.temp_dirs: list[str] = []

    @classmethod
    def get(cls) -> "Recorder":
        if cls.installed is None:
            cls.installed = Recorder()
            sys.addaudithook(cls.installed._hook)
        return cls.installed

    def __enter__(self):
        self.reads, self.writes, self.processes, self.temp_dirs = [], [], [], []
        self.active = True
        return self

    def __exit__(self, *exc):
        self.active = False

    def _hook(self, event: str, args) -> None:
        if not self.active:
            return
        if event == "open":
            path, mode, flags = args
            if path is None or isinstance(path, int):
                return
            path = _absolute(path)
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(flags & _WRITE_FLAGS)
            (self.writes.append(("open", path)) if writing else self.reads.append(path))
        elif event in _LISTS:
            if args and args[0] is not None:
                self.reads.append(_absolute(args[0]))
        elif event in _CHANGES:
            # os.symlink's first argument is the link's text, not a place written to.
            paths = args[1:2] if event in ("os.symlink", "os.link") else args[:2] if event in (
                "os.rename", "os.replace", "shutil.copyfile", "shutil.move") else args[:1]
            dir_fd = args[-1] if event in ("os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.utime") else None
            for arg in paths:
                if isinstance(arg, (str, bytes, os.PathLike)):
                    self.writes.append((event, _absolute(arg, dir_fd if isinstance(dir_fd, int) else None)))
        elif event == "tempfile.mkdtemp":
            self.temp_dirs.append(_absolute(args[0]))
        elif event == "subprocess.Popen":
            executable, arguments, cwd, _env = args
            self.processes.append(([os.fsdecode(a) for a in arguments], _absolute(cwd or os.getcwd())))


def _absolute(path, dir_fd=None) -> str:
    """PATH as an absolute path; relative to DIR_FD when the call had one (shutil.rmtree
    removes a tree through directory descriptors)."""
    if isinstance(path, int):
        return os.readlink(f"/proc/self/fd/{path}")
    path = os.fsdecode(path)
    if dir_fd is not None and not os.path.isabs(path):
        return os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path)
    return os.path.abspath(path)


def _inside(path: str, top) -> bool:
    top = os.path.abspath(str(top))
    return path == top or path.startswith(top.rstrip("/") + "/")


def _python_roots() -> list[str]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(migrate.__file__)}
    roots.update(p for p in sysconfig.get_paths().values())
    roots.update(p for p in sys.path if p and os.path.isabs(p) and p != str(ROOT))
    return sorted(roots)


# -- the hostile repository --------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path):
    """ian-style with every way out of the repository planted; the canary beside it."""
    canary = tmp_path / "canary.nix"
    canary.write_text('{ environment.etc.canary.text = "CANARY"; }\n')
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "default.nix").write_text('{ environment.etc.outside.text = "CANARY"; }\n')
    (outside / "secret.txt").write_text("CANARY\n")
    repo = tmp_path / "dotfiles"
    shutil.copytree(SAMPLES / "ian-style", repo)
    os.symlink(canary, repo / "nixos" / "absolute-link.nix")
    os.symlink("../../canary.nix", repo / "nixos" / "relative-link.nix")
    os.symlink("../outside", repo / "ext")
    configuration = repo / "nixos" / "configuration.nix"
    configuration.write_text(configuration.read_text().replace(
        "imports = [",
        f"imports = [ ./absolute-link.nix ./relative-link.nix ../ext {canary} {outside}", 1))
    # vars.nix stays where it is, so its paths that leave the repository keep their meaning.
    vars_nix = repo / "vars.nix"
    vars_nix.write_text(vars_nix.read_text().replace("{\n", (
        "{\n"
        f"  secret = builtins.readFile {outside}/secret.txt;\n"
        f'  secret2 = builtins.readFile "{outside}/secret.txt";\n'
        "  beside = builtins.readFile ../outside/secret.txt;\n"
        "  listed = builtins.readDir ../outside;\n"
        "  linked = builtins.readFile ./ext/secret.txt;\n"
        f"  there = builtins.pathExists {canary};\n"), 1))
    forbidden = [str(canary), str(outside)]
    return repo, forbidden


def commit(repo: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    for args in (["init", "-q", "--template=", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "dotfiles"]):
        subprocess.run(["git", "-c", "gc.auto=0", *args], cwd=repo, env={**env, **GIT_ENV}, check=True,
                       capture_output=True)


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """The run's temporary directories go here, so that what is left behind can be seen."""
    directory = tmp_path / "scratch"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    return directory


def run_recorded(repo: Path, *args: str):
    recorder = Recorder.get()
    # The report is prepared in a forked child (second_core), whose opens this process's
    # hook never sees; without os.fork the same code runs here, in view.
    fork = os.__dict__.pop("fork", None)
    try:
        with recorder:
            result = CliRunner().invoke(command, [str(repo), *args], catch_exceptions=False)
    finally:
        if fork is not None:
            os.fork = fork
    return result, recorder


def assert_confined(recorder: Recorder, repo: Path, forbidden: list[str], scratch: Path, out: Path = None):
    # Where each path really leads: opening repo/link.nix reads the link's target.
    real = os.path.realpath
    recorder.reads = [real(r) for r in recorder.reads]
    recorder.writes = [(e, os.path.join(real(os.path.dirname(p)), os.path.basename(p))) for e, p in recorder.writes]
    repo, scratch = Path(real(repo)), Path(real(scratch))
    forbidden = [real(f) for f in forbidden]
    named = [e for e in recorder.reads + [p for _, p in recorder.writes]
             if any(_inside(e, f) for f in forbidden)]
    assert not named, f"touched outside the repository: {named}"
    for arguments, _cwd in recorder.processes:
        assert not any(f in a for a in arguments for f in forbidden), arguments

    allowed_reads = [str(repo), *_python_roots(), str(scratch), *( [str(out)] if out else [])]
    stray = sorted({r for r in recorder.reads if not any(_inside(r, top) for top in allowed_reads)
                    and r not in ("/dev/null",)})
    assert not stray, f"read outside the repository: {stray}"

    created = [d for d in recorder.temp_dirs]
    # --out is written to a staging sibling first, then renamed into place.
    allowed_writes = [*created, *([str(out)] if out else []), "/dev/null"]
    stray = sorted({(e, p) for e, p in recorder.writes
                    if not any(_inside(p, top) for top in allowed_writes)})
    assert not stray, f"wrote outside --out and its own temporary directories: {stray}"
    for directory in created:
        assert not os.path.exists(directory), f"left {directory} behind"
    assert list(scratch.iterdir()) == []
    for arguments, cwd in recorder.processes:
        # git runs in the repository; nix-instantiate in a temporary directory, or on files of one.
        places = [str(repo), *created]
        files = [a for a in arguments[1:] if os.path.isabs(a)]
        assert any(_inside(cwd, top) for top in places) or (
            files and all(any(_inside(f, top) for top in places) for f in files)), (arguments, cwd)


# -- the proofs --------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--dry-run"], ["--dry-run", "--json"], ["--out", "OUT"], []],
                         ids=["dry-run", "json", "out", "commit"])
def test_git_repository_runs_stay_inside(hostile, scratch, tmp_path, args):
    repo, forbidden = hostile
    commit(repo)
    out = tmp_path / "out"
    args = [str(out) if a == "OUT" else a for a in args]
    before = repo_state(repo)
    result, recorder = run_recorded(repo, *args)
    assert result.exit_code == 0, result.output
    assert "CANARY" not in result.output
    after = repo_state(repo)
    difference = changed(before, after)
    assert set(difference) <= ({"refs", "git_files"} if not args else set()), difference
    assert_confined(recorder, repo, forbidden, scratch, out if "--out" in args else None)
    assert recorder.reads, "the hook saw nothing: the proof would be empty"
    if "--out" in args:
        assert not any(b"CANARY" in p.read_bytes() for p in out.rglob("*") if p.is_file() and not p.is_symlink())


def test_plain_directory_run_stays_inside(hostile, scratch, tmp_path):
    # Without git the working tree itself is read: the one place a followed symlink would show.
    repo, forbidden = hostile
    out = tmp_path / "out"
    result, recorder = run_recorded(repo, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert_confined(recorder, repo, forbidden, scratch, out)
    assert any(_inside(r, repo / "nixos") for r in recorder.reads)
    assert os.readlink(out / "modules" / "nixos" / "relative-link.nix") == "../../../canary.nix"


def test_the_check_catches_a_read_through_a_symlink(hostile, scratch):
    # The proof is only as good as the hook and the check: a read of the canary by way of
    # a symlink inside the repository, or a listing of the outside folder, must fail it.
    repo, forbidden = hostile
    for leak in (lambda: (repo / "nixos" / "relative-link.nix").read_bytes(), lambda: os.listdir(repo / "ext")):
        recorder = Recorder.get()
        with recorder:
            leak()
        with pytest.raises(AssertionError, match="touched outside the repository"):
            assert_confined(recorder, repo, forbidden, scratch)
