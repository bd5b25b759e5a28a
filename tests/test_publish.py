"""migrate.publish: the branch appears with the migrated files, and nothing else changes.

Every test compares `repo_state` before and after: the user's HEAD, index, working
tree, refs, stash, worktrees, lock files and config. Interruptions are real signals
sent to a real process in the middle of a large publish.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from gitstate import changed, git, repo_state, working_tree
from migrate.errors import MigrateError
import migrate.publish
from migrate.publish import EXECUTABLE_MODE, REGULAR_MODE, SYMLINK_MODE, Interrupted, Target, prepare, publish

IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Cy Committer", "GIT_COMMITTER_EMAIL": "cy@example.org",
}
# The machine's ~/.gitconfig and /etc/gitconfig (identity, hooksPath, init.defaultBranch)
# must not reach the repositories under test.
ISOLATED = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
GIT_ENV = {**ISOLATED, **IDENTITY}

BASE_FILES = {
    "flake.nix": (b"{ outputs = inputs: { }; }\n", REGULAR_MODE),
    "home/old.nix": (b"{ programs.git.enable = true;\n  programs.zsh.enable = true; }\n", REGULAR_MODE),
    "bin/switch.sh": (b"#!/bin/sh\nnixos-rebuild switch\n", EXECUTABLE_MODE),
    "current": (b"flake.nix", SYMLINK_MODE),
    "gone.nix": (b"{ }\n", REGULAR_MODE),
    "keep/untouched.nix": (b"{ boot.loader.grub.enable = true; }\n", REGULAR_MODE),
}

CHANGES = {
    "home/old.nix": None,
    "home/new.nix": BASE_FILES["home/old.nix"],
    "flake.nix": (b"{ outputs = inputs: { nixosConfigurations = { }; }; }\n", REGULAR_MODE),
    "bin/switch.sh": (b"#!/bin/sh\nsudo nixos-rebuild switch --flake .\n", EXECUTABLE_MODE),
    "bin/new-tool": (b"#!/bin/sh\necho new\n", EXECUTABLE_MODE),
    "links/flake": (b"../flake.nix", SYMLINK_MODE),
    "gone.nix": None,
    "empty.txt": (b"", REGULAR_MODE),
    "data/big.bin": (bytes(range(256)) * 400, REGULAR_MODE),  # its size takes three bytes of pack entry header
}


def run_git(repo, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    result = subprocess.run(["git", *map(str, args)], cwd=repo, env={**env, **GIT_ENV}, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def write_files(root: Path, files):
    for path, (content, mode) in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == SYMLINK_MODE:
            os.symlink(content, target)
        else:
            target.write_bytes(content)
            target.chmod(0o755 if mode == EXECUTABLE_MODE else 0o644)


def init_repo(path: Path, files, *args) -> Path:
    # No template: the sample hooks are a dozen files to write per test, on slow disks too slow.
    run_git(path.parent, "init", "-q", "--template=", "-b", "main", *args, path.name)
    write_files(path, files)
    run_git(path, "add", "-A")
    run_git(path, "commit", "-q", "-m", "base")
    return path


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch, tmp_path):
    """Git settings for publish() in this process; its scratch directories go to the returned one."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("EMAIL", raising=False)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


@pytest.fixture
def dotfiles(tmp_path):
    """A repository in everyday use: another branch, a stash, local changes, a second worktree."""
    repo = init_repo(tmp_path / "dotfiles", BASE_FILES)
    run_git(repo, "branch", "feature")
    (repo / "flake.nix").write_text("{ outputs = inputs: { stashed = true; }; }\n")
    run_git(repo, "stash", "-q")
    (repo / "keep" / "untouched.nix").write_text("{ }  # not committed\n")
    (repo / "staged.nix").write_text("{ }\n")
    run_git(repo, "add", "staged.nix")
    (repo / "notes.txt").write_text("untracked\n")
    run_git(repo, "worktree", "add", "-q", "-b", "side", tmp_path / "side")
    return repo


def head(repo) -> str:
    return run_git(repo, "rev-parse", "HEAD").strip()


def tree(repo, rev) -> dict[str, tuple[str, str]]:
    """Path -> (mode, object name) of every file in REV."""
    entries = {}
    for line in run_git(repo, "ls-tree", "-r", "-z", rev).split("\0"):
        if line:
            meta, path = line.split("\t", 1)
            mode, _, name = meta.split()
            entries[path] = (mode, name)
    return entries


def assert_unchanged(before, repo):
    after = repo_state(repo)
    assert after == before, changed(before, after)


# ---------------------------------------------------------------- publish


def test_publish_commits_the_changes_on_a_new_branch_and_touches_nothing_else(dotfiles, isolated_git):
    before = repo_state(dotfiles)
    handlers = [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)]
    target = prepare(dotfiles, "hm-nixos-module", False)
    assert target == Target(dotfiles.resolve(), head(dotfiles), "hm-nixos-module", False)

    sha = publish(target, CHANGES, "Home Manager as a NixOS module\n\nMoved home/old.nix.")

    after = repo_state(dotfiles)
    assert changed(before, after).keys() == {"refs", "git_files"}
    assert set(after["refs"]) - set(before["refs"]) == {f"refs/heads/hm-nixos-module {sha} "}
    assert set(after["git_files"]) - set(before["git_files"]) == {"refs/heads/hm-nixos-module"}
    assert [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)] == handlers
    assert os.listdir(isolated_git) == []

    status = run_git(dotfiles, "diff", "--find-renames", "--name-status", target.base_commit, "hm-nixos-module")
    assert sorted(status.splitlines()) == sorted([
        "R100\thome/old.nix\thome/new.nix", "M\tflake.nix", "M\tbin/switch.sh", "A\tbin/new-tool",
        "A\tlinks/flake", "D\tgone.nix", "A\tempty.txt", "A\tdata/big.bin",
    ])
    base, new = tree(dotfiles, target.base_commit), tree(dotfiles, "hm-nixos-module")
    assert new["bin/switch.sh"][0] == new["bin/new-tool"][0] == "100755"
    assert new["current"] == base["current"] and new["current"][0] == "120000"
    assert new["links/flake"][0] == "120000"
    assert new["keep/untouched.nix"] == base["keep/untouched.nix"]
    assert "gone.nix" not in new and "home/old.nix" not in new
    for path, entry in CHANGES.items():
        if entry is not None:
            shown = subprocess.run(["git", "cat-file", "blob", new[path][1]], cwd=dotfiles, capture_output=True).stdout
            assert shown == entry[0], path

    parent, author, committer, message = run_git(
        dotfiles, "log", "-1", "--format=%P%n%an <%ae>%n%cn <%ce>%n%B", "hm-nixos-module"
    ).split("\n", 3)
    assert parent == target.base_commit
    assert author == "Ada Author <ada@example.org>" and committer == "Cy Committer <cy@example.org>"
    assert message.strip() == "Home Manager as a NixOS module\n\nMoved home/old.nix."
    run_git(dotfiles, "fsck", "--strict", "--no-dangling")


def test_force_replaces_an_existing_branch(dotfiles):
    run_git(dotfiles, "branch", "hm", "feature")
    run_git(dotfiles, "commit", "-q", "--allow-empty", "-m", "newer base")  # the old branch is no ancestor
    before = repo_state(dotfiles)
    target = prepare(dotfiles, "hm", True)
    sha = publish(target, {"flake.nix": CHANGES["flake.nix"]}, "migrate")
    assert run_git(dotfiles, "rev-parse", "hm").strip() == sha
    assert run_git(dotfiles, "rev-parse", "hm^").strip() == target.base_commit == head(dotfiles)
    diff = changed(before, repo_state(dotfiles))
    assert diff.keys() == {"refs"}
    assert set(diff["refs"][1]) ^ set(diff["refs"][0]) == {
        f"refs/heads/hm {run_git(dotfiles, 'rev-parse', 'feature').strip()} ", f"refs/heads/hm {sha} ",
    }


def test_publish_from_a_linked_worktree(dotfiles, tmp_path):
    side = tmp_path / "side"
    before = repo_state(dotfiles)
    target = prepare(side, "hm", False)
    assert target.base_commit == head(side)
    sha = publish(target, CHANGES, "migrate")
    assert run_git(dotfiles, "rev-parse", "hm").strip() == sha
    assert changed(before, repo_state(dotfiles)).keys() == {"refs", "git_files"}


def test_unmentioned_paths_keep_their_content_and_an_empty_change_set_commits_the_base_tree(dotfiles):
    target = prepare(dotfiles, "hm", False)
    sha = publish(target, {}, "nothing to change")
    assert tree(dotfiles, sha) == tree(dotfiles, target.base_commit)


def test_a_file_may_replace_a_directory_whose_files_are_deleted(dotfiles):
    target = prepare(dotfiles, "hm", False)
    sha = publish(target, {"home/old.nix": None, "home": (b"now a file\n", REGULAR_MODE)}, "replace")
    assert tree(dotfiles, sha)["home"][0] == "100644"


def test_a_file_that_would_silently_drop_a_directory_is_refused(dotfiles, isolated_git):
    before = repo_state(dotfiles)
    target = prepare(dotfiles, "hm", False)
    with pytest.raises(ValueError, match="home/old.nix: would be dropped"):
        publish(target, {"home": (b"now a file\n", REGULAR_MODE)}, "replace")
    assert_unchanged(before, dotfiles)
    assert os.listdir(isolated_git) == []


def test_paths_that_are_not_repo_relative_are_refused(dotfiles, isolated_git):
    before = repo_state(dotfiles)
    target = prepare(dotfiles, "hm", False)
    for path in ["", "/etc/passwd", "../outside", "a/../b", "a//b", "./a", "a/", ".git/config", "sub/.GIT/x", "a\0b"]:
        with pytest.raises(ValueError, match="not a repo-relative POSIX path"):
            publish(target, {"fine.nix": (b"x", REGULAR_MODE), path: (b"x", REGULAR_MODE)}, "bad")
        with pytest.raises(ValueError, match="not a repo-relative POSIX path"):
            publish(target, {path: None}, "bad")
    assert_unchanged(before, dotfiles)
    assert os.listdir(isolated_git) == []


def test_bad_modes_and_contents_are_refused(dotfiles):
    target = prepare(dotfiles, "hm", False)
    with pytest.raises(ValueError, match="mode 644"):
        publish(target, {"a": (b"x", 0o644)}, "bad")
    with pytest.raises(TypeError, match="must be bytes"):
        publish(target, {"a": ("text", REGULAR_MODE)}, "bad")
    assert "refs/heads/hm" not in run_git(dotfiles, "for-each-ref")


def test_identity_falls_back_when_none_is_configured(dotfiles, monkeypatch):
    for name in IDENTITY:
        monkeypatch.delenv(name)
    config = (dotfiles / ".git" / "config").read_bytes()
    sha = publish(prepare(dotfiles, "hm", False), CHANGES, "migrate")
    who = run_git(dotfiles, "log", "-1", "--format=%an <%ae>|%cn <%ce>", sha).strip()
    assert who == "hm-migrate <hm-migrate@localhost>|hm-migrate <hm-migrate@localhost>"
    assert (dotfiles / ".git" / "config").read_bytes() == config


def test_identity_comes_from_the_repository_configuration(dotfiles, monkeypatch):
    for name in IDENTITY:
        monkeypatch.delenv(name)
    run_git(dotfiles, "config", "user.name", "Repo Owner")
    run_git(dotfiles, "config", "user.email", "owner@example.org")
    sha = publish(prepare(dotfiles, "hm", False), CHANGES, "migrate")
    who = run_git(dotfiles, "log", "-1", "--format=%an <%ae>|%cn <%ce>", sha).strip()
    assert who == "Repo Owner <owner@example.org>|Repo Owner <owner@example.org>"


def test_sha256_repository(tmp_path):
    repo = init_repo(tmp_path / "sha256", BASE_FILES, "--object-format=sha256")
    sha = publish(prepare(repo, "hm", False), CHANGES, "migrate")
    assert len(sha) == 64
    assert tree(repo, sha)["home/new.nix"] == tree(repo, "main")["home/old.nix"]
    run_git(repo, "fsck", "--strict", "--no-dangling")


def test_publish_checks_the_branch_again(dotfiles, tmp_path):
    """The analysis takes a while: the branch may be created or checked out meanwhile."""
    target = prepare(dotfiles, "hm", False)
    run_git(dotfiles, "branch", "hm", "feature")
    before = repo_state(dotfiles)
    with pytest.raises(MigrateError, match="branch 'hm' already exists"):
        publish(target, CHANGES, "migrate")
    assert_unchanged(before, dotfiles)

    target = prepare(dotfiles, "hm", True)
    run_git(tmp_path / "side", "switch", "-q", "hm")
    before = repo_state(dotfiles)
    with pytest.raises(MigrateError, match="'hm' is checked out in the worktree"):
        publish(target, CHANGES, "migrate")
    assert_unchanged(before, dotfiles)


# ---------------------------------------------------------------- prepare refuses


def refusal(path, branch="hm", force=False) -> str:
    with pytest.raises(MigrateError) as caught:
        prepare(path, branch, force)
    message = str(caught.value)
    assert message and "\n" not in message
    return message


def test_refuses_a_directory_that_is_not_a_repository(tmp_path, dotfiles):
    plain = tmp_path / "plain"
    plain.mkdir()
    message = refusal(plain)
    assert message == f"{plain}: not a git repository (use --out DIR to write the result elsewhere, or --dry-run)"
    before = repo_state(dotfiles)
    assert "not a git repository" in refusal(dotfiles / "home")  # inside a repository is not one
    assert "not a git working tree" in refusal(dotfiles / ".git")
    assert refusal(tmp_path / "missing").endswith("missing: no such directory")
    assert refusal(dotfiles / "flake.nix").endswith("flake.nix: not a directory")
    assert_unchanged(before, dotfiles)


def test_refuses_a_bare_repository(tmp_path):
    bare = tmp_path / "bare.git"
    run_git(tmp_path, "init", "-q", "--bare", bare)
    before = working_tree(bare)
    assert refusal(bare) == f"{bare}: a bare repository has no working tree to migrate; clone it and run on the clone"
    assert working_tree(bare) == before


def test_refuses_a_repository_without_commits(tmp_path):
    repo = tmp_path / "empty"
    run_git(tmp_path, "init", "-q", repo)
    (repo / "flake.nix").write_text("{ }\n")
    before = repo_state(repo)
    assert refusal(repo) == f"{repo}: the repository has no commits yet"
    assert_unchanged(before, repo)


def test_refuses_a_detached_head(dotfiles):
    run_git(dotfiles, "checkout", "-q", "--detach")
    before = repo_state(dotfiles)
    assert refusal(dotfiles) == f"{dotfiles}: HEAD is detached at {head(dotfiles)[:12]}; check out a branch first"
    assert_unchanged(before, dotfiles)


def test_refuses_an_invalid_branch_name(dotfiles):
    before = repo_state(dotfiles)
    for name in ["", "bad..name", "-x", "HEAD", "@{-1}", "a b", "x.lock", "ends/", "tab\tname", "q?", "a~1", "x:y"]:
        assert refusal(dotfiles, name, True) == f"'{name}' is not a valid branch name (see `git check-ref-format`)"
    assert_unchanged(before, dotfiles)


def test_refuses_an_existing_branch_unless_forced(dotfiles):
    before = repo_state(dotfiles)
    assert refusal(dotfiles, "feature") == "branch 'feature' already exists; choose another --branch NAME, or --force replaces it"
    assert prepare(dotfiles, "feature", True).force
    assert_unchanged(before, dotfiles)


def test_refuses_the_checked_out_branches_even_with_force(dotfiles, tmp_path):
    before = repo_state(dotfiles)
    assert refusal(dotfiles, "main", True) == (
        f"'main' is the branch checked out in {dotfiles.resolve()}; choose another --branch NAME (--force never replaces it)"
    )
    assert refusal(dotfiles, "side", True) == (
        f"'side' is checked out in the worktree {(tmp_path / 'side').resolve()}; choose another --branch NAME (--force never replaces it)"
    )
    assert_unchanged(before, dotfiles)


@pytest.mark.parametrize("name, existing", [("config/x", "config"), ("nested", "nested/deeper")])
def test_refuses_a_name_that_collides_with_a_branch_directory(dotfiles, name, existing):
    run_git(dotfiles, "branch", existing)
    before = repo_state(dotfiles)
    message = refusal(dotfiles, name, True)
    assert message == f"branch '{name}' cannot be created next to the existing branch '{existing}'; choose another --branch NAME"
    assert_unchanged(before, dotfiles)


# ---------------------------------------------------------------- interruption


def test_a_signal_lets_the_running_step_finish_and_then_ends_publish(dotfiles, monkeypatch, isolated_git):
    before = repo_state(dotfiles)
    write_tree = migrate.publish._write_tree

    def signalled_while_writing_the_tree(*args):
        os.kill(os.getpid(), signal.SIGTERM)
        return write_tree(*args)

    monkeypatch.setattr(migrate.publish, "_write_tree", signalled_while_writing_the_tree)
    with pytest.raises(Interrupted) as caught:
        publish(prepare(dotfiles, "hm", False), CHANGES, "migrate")
    assert caught.value.signum == signal.SIGTERM and isinstance(caught.value, KeyboardInterrupt)
    assert_unchanged(before, dotfiles)
    assert os.listdir(isolated_git) == []
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_a_signal_after_the_branch_is_made_goes_to_the_previous_handler(dotfiles, monkeypatch):
    create_branch = migrate.publish._create_branch
    received = []

    def signalled_just_after(*args):
        create_branch(*args)
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(migrate.publish, "_create_branch", signalled_just_after)
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    try:
        sha = publish(prepare(dotfiles, "hm", False), CHANGES, "migrate")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert received == [signal.SIGTERM]
    assert run_git(dotfiles, "rev-parse", "hm").strip() == sha


def test_an_interrupted_force_puts_the_old_branch_back(dotfiles, monkeypatch):
    run_git(dotfiles, "branch", "hm", "feature")
    before = repo_state(dotfiles)
    run = migrate.publish._Plumbing.run

    def signalled_once_the_branch_is_moved(self, *args, **options):
        output = run(self, *args, **options)
        if args[0] == "update-ref" and not options.get("shielded"):
            os.kill(os.getpid(), signal.SIGINT)
        return output

    monkeypatch.setattr(migrate.publish._Plumbing, "run", signalled_once_the_branch_is_moved)
    with pytest.raises(Interrupted):
        publish(prepare(dotfiles, "hm", True), CHANGES, "migrate")
    assert_unchanged(before, dotfiles)


def test_an_ignored_signal_stays_ignored(dotfiles, monkeypatch):
    write_tree = migrate.publish._write_tree

    def signalled_while_writing_the_tree(*args):
        os.kill(os.getpid(), signal.SIGHUP)
        return write_tree(*args)

    monkeypatch.setattr(migrate.publish, "_write_tree", signalled_while_writing_the_tree)
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # nohup
    try:
        sha = publish(prepare(dotfiles, "hm", False), CHANGES, "migrate")
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert run_git(dotfiles, "rev-parse", "hm").strip() == sha


BASE_COUNT, NEW_COUNT = 900, 3000  # a small base keeps the fixture fast; the change set is what takes time

# Publishes a change set that deletes, changes or moves each base file and adds NEW_COUNT files.
PUBLISHER = r"""
import signal
import sys
from pathlib import Path
from migrate.publish import prepare, publish

def interrupt(signum, frame):  # as a CLI would, for a SIGTERM before publish() takes over
    raise KeyboardInterrupt(signal.Signals(signum).name)

signal.signal(signal.SIGTERM, interrupt)

repo, branch, base_count, new_count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
files = {}
for i in range(base_count):
    path = f"mod/{i:04d}.nix"
    if i % 3 == 0:
        files[path] = None
    elif i % 3 == 1:
        files[path] = (b"{ changed = %d; }\n" % i, 0o100644)
    else:
        files[path] = None
        files[f"moved/{i:04d}.nix"] = (b"{ module = %d; }\n" % i * 4, 0o100644)
for i in range(new_count):
    files[f"new/{i:04d}.nix"] = (b"{ new = %d; }\n" % i, 0o100755)
target = prepare(repo, branch, False)
print("ready", flush=True)
try:
    sha = publish(target, files, "big migration")
except KeyboardInterrupt as interrupted:
    print("interrupted", type(interrupted).__name__, interrupted, flush=True)
    sys.exit(130)
print("published", sha, flush=True)
"""

# Holds update-ref in the state named by $HM_TEST_PAUSE (while it holds the ref's lock,
# or after the ref is written) and tells the test where it is. Deletions (the undo)
# pass straight through.
HOOK = """#!/bin/sh
read -r old new ref
case "$new" in *[!0]*) ;; *) exit 0 ;; esac
echo $$ > "$HM_TEST_MARKERS/$1.tmp" && mv "$HM_TEST_MARKERS/$1.tmp" "$HM_TEST_MARKERS/$1"
if [ "$1" = "$HM_TEST_PAUSE" ]; then sleep 10; fi
"""


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory):
    """BASE_COUNT committed files, local changes, and the pausing reference-transaction hook."""
    root = tmp_path_factory.mktemp("big")
    files = {f"mod/{i:04d}.nix": (b"{ module = %d; }\n" % i * 4, REGULAR_MODE) for i in range(BASE_COUNT)}
    repo = init_repo(root / "repo", files)
    (repo / "mod" / "0001.nix").write_text("{ edited = true; }\n")
    (repo / "untracked.nix").write_text("{ }\n")
    hook = repo / ".git" / "hooks" / "reference-transaction"
    hook.parent.mkdir()
    hook.write_text(HOOK)
    hook.chmod(0o755)
    return repo, repo_state(repo)


def start_publisher(repo: Path, tmp_path: Path, pause: str) -> tuple[subprocess.Popen, Path, Path]:
    """The publisher, stopped at nothing yet: it has prepared and is entering publish()."""
    scratch, markers = tmp_path / "scratch", tmp_path / "markers"
    markers.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV, TMPDIR=str(scratch), HM_TEST_MARKERS=str(markers), HM_TEST_PAUSE=pause)
    process = subprocess.Popen(
        [sys.executable, "-c", PUBLISHER, str(repo), "hm", str(BASE_COUNT), str(NEW_COUNT)], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )
    assert process.stdout.readline() == "ready\n", process.stderr.read()
    return process, scratch, markers


def send(process: subprocess.Popen, signum: int) -> None:
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # Ctrl-C: the terminal signals the foreground job
    else:
        os.kill(process.pid, signum)  # kill PID


def wait_for(marker: Path) -> int:
    deadline = time.monotonic() + 15
    while not marker.exists():
        assert time.monotonic() < deadline, f"{marker.name} never reached"
        time.sleep(0.005)
    return int(marker.read_text())


def running_in_group(group: int) -> list[str]:
    """Processes of GROUP that still run (zombies do not count: here PID 1 may never reap them)."""
    running = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            running.append(stat_file.parent.name)
    return running


def assert_interrupted_cleanly(process, signum, repo, before, scratch, inside_publish=True):
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, (out, err)
    last = out.splitlines()[-1]
    name = signal.Signals(signum).name
    assert last == f"interrupted Interrupted {name}" or not inside_publish and last.startswith("interrupted KeyboardInterrupt"), (out, err)
    assert "Traceback" not in err
    assert_unchanged(before, repo)
    assert os.listdir(scratch) == []
    assert list((repo / ".git" / "objects").rglob("tmp_*")) == []  # no half-written pack or object


# From "ready" on, publish() builds the pack in Python, runs index-pack, read-tree,
# update-index, write-tree and commit-tree, then waits in the hook, lock held: on a
# fast machine it gets there in about 0.15 s, on a loaded one in 0.5 s.
@pytest.mark.parametrize("delay", [0.03, 0.07, 0.12, 0.2, 0.35, 1.0])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_at_any_moment_leaves_the_repository_as_it_was(big_repo, tmp_path, signum, delay):
    repo, before = big_repo
    process, scratch, _ = start_publisher(repo, tmp_path, pause="prepared")
    time.sleep(delay)
    send(process, signum)
    # The very first moments may still be before publish() installs its handlers.
    assert_interrupted_cleanly(process, signum, repo, before, scratch, inside_publish=delay > 0.1)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_git_holds_the_ref_lock(big_repo, tmp_path, signum):
    repo, before = big_repo
    process, scratch, markers = start_publisher(repo, tmp_path, pause="prepared")
    hook_group = os.getpgid(wait_for(markers / "prepared"))
    assert (repo / ".git" / "refs" / "heads" / "hm.lock").exists()
    send(process, signum)
    assert_interrupted_cleanly(process, signum, repo, before, scratch)
    assert running_in_group(hook_group) == []  # the hook was stopped with git


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_after_the_branch_was_written_removes_it(big_repo, tmp_path, signum):
    repo, before = big_repo
    process, scratch, markers = start_publisher(repo, tmp_path, pause="committed")
    wait_for(markers / "committed")
    assert git(repo, "rev-parse", "-q", "--verify", "refs/heads/hm", check=False).strip()
    send(process, signum)
    assert_interrupted_cleanly(process, signum, repo, before, scratch)


def test_ctrl_c_that_reaches_git_too(big_repo, tmp_path):
    """A signal to every process at once (a whole session, a service stop): git cleans up itself."""
    repo, before = big_repo
    process, scratch, markers = start_publisher(repo, tmp_path, pause="prepared")
    hook_group = os.getpgid(wait_for(markers / "prepared"))
    os.killpg(hook_group, signal.SIGINT)
    os.killpg(process.pid, signal.SIGINT)
    assert_interrupted_cleanly(process, signal.SIGINT, repo, before, scratch)
