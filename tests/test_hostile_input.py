"""One test per distinct problem `bench/fuzz.py` found: each input once made `migrate`
crash, hang or leave something behind; now it migrates or refuses with one clear
message, and the repository is as it was.

Every case runs `migrate` as a real process (a crash in native code must fail the
test, not take pytest down with it) on a copy of a sample with the one mutation
that triggered the finding.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pytest

from gitstate import changed, repo_state

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample-configs"
sys.path.insert(0, str(ROOT / "bench"))

from fuzz import GIT_ENV, clear_message  # noqa: E402


def git(repo: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "-c", "gc.auto=0", *args], cwd=repo, env={**env, **GIT_ENV}, check=True,
                   capture_output=True)


def sample(tmp_path: Path, name: str = "ian-style") -> Path:
    repo = tmp_path / "dotfiles"
    shutil.copytree(SAMPLES / name, repo, symlinks=True)
    return repo


def commit(repo: Path) -> Path:
    git(repo.parent, "init", "-q", "--template=", "-b", "main", repo.name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "dotfiles")
    return repo


def migrate(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run([sys.executable, "-m", "migrate", str(repo), *args], capture_output=True, text=True,
                          env={**env, **GIT_ENV}, timeout=60)


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert clear_message(result.stderr), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def run_unchanged(repo: Path, *args: str) -> subprocess.CompletedProcess:
    before = repo_state(repo)
    result = migrate(repo, *args)
    after = repo_state(repo)
    assert after == before, changed(before, after)
    return result


# -- file names that are not UTF-8 --------------------------------------------------------
# The report, the diff and MIGRATION.md name every file as text: encoding such a name
# raised UnicodeEncodeError after the whole analysis.


def _rename_to_latin1(repo: Path, rel: str) -> str:
    folder, name = os.path.split(rel)
    new = os.path.join(folder, os.fsdecode(name[:-4].encode() + b"\xe9.nix"))
    os.rename(repo / rel, repo / new)
    return new


@pytest.mark.parametrize("committed", [True, False], ids=["git-head", "plain-directory"])
def test_file_name_that_is_not_utf8_is_refused_by_name(tmp_path, committed):
    repo = sample(tmp_path, "wimpy-style")
    _rename_to_latin1(repo, "nixos/_mixins/desktop/gnome.nix")
    if committed:
        commit(repo)
        result = run_unchanged(repo, "--dry-run")
    else:
        result = migrate(repo, "--dry-run")
    assert_refused(result, "nixos/_mixins/desktop/gnome\\xe9.nix: file name is not valid UTF-8")


# -- nesting deeper than the parser's native stack -------------------------------------------
# rnix has no depth limit for nested lists, unary minus and `or` chains: 60,000 levels
# overflowed the stack and the process died of SIGSEGV with no message at all.


@pytest.mark.parametrize("text", [
    "[" * 60_000 + "1" + "]" * 60_000,
    "x: " + "a.b or " * 120_000 + "1",
], ids=["lists", "or-chain"])
def test_nesting_too_deep_for_the_parser_is_refused_where_imported(tmp_path, text):
    # nixos/power.nix is one of the host's modules: the host cannot be read without it.
    repo = commit(_with_file(sample(tmp_path), "nixos/power.nix", text))
    result = run_unchanged(repo, "--out", str(tmp_path / "out"))
    assert_refused(result, "nixos/power.nix: nested too deeply to parse", "host kestrel imports it")
    assert not (tmp_path / "out").exists()


def test_nesting_too_deep_in_a_file_nothing_imports_is_carried(tmp_path):
    text = "[" * 60_000 + "1" + "]" * 60_000
    repo = commit(_with_file(sample(tmp_path), "nixos/deep.nix", text))
    out = tmp_path / "out"
    result = run_unchanged(repo, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "nixos/deep.nix: not valid Nix (nested too deeply to parse" in result.stdout
    moved = [p for p in out.rglob("deep.nix")]
    assert len(moved) == 1 and moved[0].read_text() == text + "\n"


def test_deep_but_parseable_nesting_still_migrates(tmp_path):
    repo = commit(_with_file(sample(tmp_path), "nixos/deep.nix", "[" * 5_000 + "]" * 5_000))
    result = run_unchanged(repo, "--dry-run")
    assert result.returncode == 0, result.stderr


def test_a_file_slow_to_refuse_is_probed_once_and_not_for_long(monkeypatch):
    # 200,000 nested `-` kept rnix busy for 37 s before it overflowed, and the analysis
    # asked for the file twice: 74 s for one refusal.
    import time

    import migrate.nix.parse as parse_module
    from migrate.analyze.evaluator import Evaluator
    from migrate.nix.parse import NixNestingError
    from migrate.snapshot import from_mapping

    import subprocess

    monkeypatch.setattr(parse_module, "_PROBE_SECONDS", 1)
    probes = []
    real_run = subprocess.run

    def counted(*args, **kwargs):
        probes.append(kwargs.get("timeout"))
        return real_run(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counted)
    evaluator = Evaluator(from_mapping({"deep.nix": ("x: " + "-" * 200_000 + "1\n").encode()}))
    started = time.monotonic()
    for _ in range(2):
        with pytest.raises(NixNestingError, match="deep.nix: nested too deeply to parse"):
            evaluator.parse("deep.nix")
    assert time.monotonic() - started < 5
    assert probes == [1]


def _with_file(repo: Path, rel: str, text: str) -> Path:
    (repo / rel).write_text(text + "\n")
    return repo


# -- relative symlinks in folders that move -------------------------------------------------
# A symlink was carried over with its target text unchanged: moved one folder deeper,
# `../../../README.md` dangled, and a link to a file outside the repository pointed at
# a different (missing) file in the migrated tree.


def test_moved_relative_symlinks_still_point_at_the_same_files(tmp_path):
    repo = sample(tmp_path, "wimpy-style")
    (tmp_path / "canary.nix").write_text("{ }\n")
    services = repo / "nixos/_mixins/services"
    os.symlink("../../../README.md", services / "readme")  # a file that stays
    os.symlink("../../../home-manager", services / "home")  # a folder that moves as a whole
    os.symlink("../../../../canary.nix", services / "outside.nix")  # beside the repository
    os.symlink("/etc/hostname", services / "absolute")
    out = tmp_path / "out"
    result = run_unchanged(commit(repo), "--out", str(out))
    assert result.returncode == 0, result.stderr
    moved = out / "modules/nixos/_mixins/services"
    assert os.readlink(moved / "readme") == "../../../../README.md"
    assert (moved / "readme").read_bytes() == (repo / "README.md").read_bytes()
    assert os.readlink(moved / "home") == "../../../home"
    assert (moved / "home" / "default.nix").read_bytes() == (repo / "home-manager/default.nix").read_bytes()
    assert os.readlink(moved / "outside.nix") == "../../../../../canary.nix"
    assert os.path.realpath(moved / "outside.nix") == os.path.realpath(tmp_path / "canary.nix")
    assert os.readlink(moved / "absolute") == "/etc/hostname"


# -- relative path literals that leave the repository ----------------------------------------
# Such a path is never followed, so it was left as written, also in a file that moves
# to another folder: as a value (`builtins.readFile ../x`) it then silently named a
# different file; as an import it failed verification with only "lost ../x".


def test_path_leaving_the_repository_keeps_its_file_in_place(tmp_path):
    # From any other folder `../motd` would name something else: the layout keeps the
    # file where it is (and says so) instead of stopping the migration.
    repo = sample(tmp_path, "channels-style")
    config = repo / "configuration.nix"
    config.write_text(config.read_text().replace("{\n", '{\n  environment.etc.motd.text = builtins.readFile ../motd;\n', 1))
    (tmp_path / "motd").write_text("hello\n")
    out = tmp_path / "out"
    result = run_unchanged(commit(repo), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "builtins.readFile ../motd;" in (out / "configuration.nix").read_text()
    assert "configuration.nix stays where it is: `../motd` points outside the repository" in result.stdout
    assert "`configuration.nix` stays where it is" in (out / "MIGRATION.md").read_text()


def test_path_leaving_the_repository_in_a_file_that_stays_is_kept(tmp_path):
    repo = sample(tmp_path, "ian-style")
    (repo / "vars.nix").write_text((repo / "vars.nix").read_text().replace("{\n", "{\n  motd = ../motd;\n", 1))
    out = tmp_path / "out"
    result = run_unchanged(commit(repo), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "motd = ../motd;" in (out / "vars.nix").read_text()


# -- a tracked file touched but not changed ----------------------------------------------------
# The dirty check ran `git diff`, which refreshes the index's stat data and writes the
# index back: .git/index changed under the user (seen with 10,000 files committed in
# the same second, reproduced by a touch).


@pytest.mark.parametrize("mode", [["--dry-run"], []], ids=["dry-run", "commit"])
def test_touched_file_does_not_make_migrate_rewrite_the_index(tmp_path, mode):
    repo = commit(sample(tmp_path))
    later = (repo / "nixos/boot.nix").stat().st_mtime + 100
    os.utime(repo / "nixos/boot.nix", (later, later))
    before = repo_state(repo)
    result = migrate(repo, *mode)
    assert result.returncode == 0, result.stderr
    after = repo_state(repo)
    assert after["index"] == before["index"]
    assert changed(before, after).keys() <= {"refs", "git_files"}  # the new branch, for the commit run


# -- a damaged object store ----------------------------------------------------------------------
# A missing or emptied blob made GitPython raise ValueError("SHA b'...' could not be
# resolved") out of the snapshot: a traceback.


# A blob whose stored data is shorter than its header says (git does not notice) made
# GitPython's `cat-file --batch` reader wait for the rest forever: the run hung.


@pytest.mark.parametrize("damage", ["missing", "empty", "truncated"])
def test_damaged_object_is_refused_in_words(tmp_path, damage):
    repo = commit(sample(tmp_path))
    sha = subprocess.run(["git", "rev-parse", "HEAD:nixos/boot.nix"], cwd=repo, capture_output=True, text=True,
                         check=True).stdout.strip()
    blob = repo / ".git" / "objects" / sha[:2] / sha[2:]
    blob.chmod(0o644)
    if damage == "missing":
        blob.unlink()
    elif damage == "empty":
        blob.write_bytes(b"")
    else:
        header, _, body = zlib.decompress(blob.read_bytes()).partition(b"\0")
        blob.write_bytes(zlib.compress(header + b"\0" + body[: len(body) // 2]))
    for mode in (["--dry-run"], []):
        result = run_unchanged(repo, *mode)
        assert_refused(result, "the repository is damaged", sha, "git fsck")


# -- an entry file behind a looping or outgoing symlink -------------------------------------------
# flake.nix as a symlink loop looked absent: a flake repository was taken for a channels
# setup (its home-manager/home.nix) and the run stopped only when planning, with
# "flake.nix exists but is not the repository's entry".


@pytest.mark.parametrize("target", ["flake.nix", "../canary.nix"], ids=["loop", "outside"])
def test_entry_file_behind_a_bad_symlink_is_refused_by_name(tmp_path, target):
    repo = sample(tmp_path)
    (tmp_path / "canary.nix").write_text("{ outputs = _: { }; }\n")
    (repo / "flake.nix").unlink()
    os.symlink(target, repo / "flake.nix")
    result = run_unchanged(commit(repo), "--dry-run")
    assert_refused(result, "flake.nix: a symlink that loops or leads out of the repository")


# -- GIT_DIR and friends in the environment ------------------------------------------------------
# Run from a git hook, migrate inherited GIT_DIR: the snapshot read the other repository
# ("unknown layout"), or, for the commit, failed with "not a tree object".


def test_git_variables_of_another_repository_are_ignored(tmp_path):
    repo = commit(sample(tmp_path))
    decoy = tmp_path / "decoy"
    decoy.mkdir()
    (decoy / "README").write_text("another repository\n")
    commit(decoy)
    decoy_before = repo_state(decoy)
    env = {"GIT_DIR": str(decoy / ".git"), "GIT_WORK_TREE": str(decoy), "GIT_INDEX_FILE": str(decoy / ".git/index")}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    for mode in (["--dry-run"], []):
        result = subprocess.run([sys.executable, "-m", "migrate", str(repo), *mode], capture_output=True, text=True,
                                env={**clean, **GIT_ENV, **env}, timeout=60)
        assert result.returncode == 0, result.stderr
    assert "hm-nixos-module" in subprocess.run(["git", "branch"], cwd=repo, capture_output=True, text=True).stdout
    assert repo_state(decoy) == decoy_before


# -- --out where nothing can be written ----------------------------------------------------------
# A full disk, or an --out whose parent refuses new entries (/proc), ended in an OSError
# traceback.


def test_out_where_the_filesystem_refuses_is_refused(tmp_path):
    if not os.path.isdir("/proc/self"):
        pytest.skip("needs Linux's /proc")
    result = migrate(SAMPLES / "ian-style", "--out", "/proc/hm-migrate-out")
    assert_refused(result, "/proc/hm-migrate-out: cannot write there")


def test_out_on_a_full_disk_leaves_nothing(tmp_path, monkeypatch):
    import errno

    from click.testing import CliRunner

    from migrate.cli import command

    written = []
    real_write = Path.write_bytes

    def write_until_full(self, data):
        if len(written) == 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        written.append(self)
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_until_full)
    out = tmp_path / "out"
    result = CliRunner().invoke(command, [str(SAMPLES / "ian-style"), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert clear_message(result.output), result.output
    assert "writing the migrated tree failed (No space left on device); nothing was written" in result.output
    assert list(tmp_path.iterdir()) == []


# -- a temporary directory that is full ---------------------------------------------------------
# With TMPDIR on a full filesystem the verification's scratch files raised OSError out of
# the run: a traceback.


def test_full_temporary_directory_is_refused_in_words(tmp_path, monkeypatch):
    import errno

    from click.testing import CliRunner

    from migrate.cli import command

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "tmp"))

    monkeypatch.setattr(tempfile, "mkdtemp", full)
    result = CliRunner().invoke(command, [str(SAMPLES / "ian-style"), "--dry-run"])
    assert result.exit_code == 1, result.output
    assert clear_message(result.output), result.output
    assert result.output.startswith(f"migrate: {tmp_path / 'tmp'}: No space left on device")


def test_absolute_path_built_from_root_in_a_moving_file_is_kept(tmp_path):
    # `/. + "/x"` is a concatenation whose base is absolute; it was taken for a relative
    # path leaving the repository and the run refused.
    repo = sample(tmp_path, "channels-style")
    config = repo / "configuration.nix"
    config.write_text(config.read_text().replace(
        "{\n", '{\n  environment.etc.extra.source = /. + "/etc/hm-migrate-extra.conf";\n', 1))
    out = tmp_path / "out"
    result = run_unchanged(commit(repo), "--out", str(out))
    assert result.returncode == 0, result.stderr
    moved = [p for p in out.rglob("*.nix") if b"hm-migrate-extra" in p.read_bytes()]
    assert len(moved) == 1 and b'/. + "/etc/hm-migrate-extra.conf"' in moved[0].read_bytes()
