"""`migrate REPO` as a user runs it on a git repository: real processes, real signals.

The user's repository is snapshotted with `gitstate.repo_state` (HEAD, index, working
tree bytes, refs, worktrees, stash, lock files, .git files, config) before and after
every run: a successful run may add its branch and nothing else; a refusal and an
interruption change nothing at all. Every run gets its own TMPDIR, which must be empty
afterwards, so a temporary file or directory left behind on any path shows up here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from gitstate import changed, repo_state, working_tree

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample-configs"
EXPECTED = ROOT / "tests" / "expected"
BRANCH = "hm-nixos-module"

# The console script a user runs, when this interpreter has it installed.
_SCRIPT = Path(sys.executable).with_name("migrate")
MIGRATE = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "migrate"]

# The machine's ~/.gitconfig and /etc/gitconfig (identity, hooks, init.defaultBranch)
# must not reach the repositories under test, in the test or in migrate.
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada Author", "GIT_COMMITTER_EMAIL": "ada@example.org",
}


def base_env(tmpdir: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV, NO_COLOR="1")
    env.pop("EMAIL", None)
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    return env


def git(repo: Path, *args, input: bytes | None = None, check: bool = True) -> bytes:
    result = subprocess.run(["git", *map(str, args)], cwd=repo, input=input, capture_output=True, env=base_env())
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(map(str, args))}: {result.stderr.decode()}")
    return result.stdout


def rev(repo: Path, name: str) -> str | None:
    return git(repo, "rev-parse", "-q", "--verify", f"{name}^{{commit}}", check=False).decode().strip() or None


def make_repo(path: Path, source: Path | None = None) -> Path:
    """SOURCE's files committed on `main` of a new repository at PATH."""
    if source is not None:
        shutil.copytree(source, path, symlinks=True)
    # No template: the sample hooks would be a dozen more files per repository.
    git(path, "init", "-q", "--template=", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "dotfiles")
    return path


def in_everyday_use(repo: Path) -> None:
    """Another branch, a stash, an untracked file and a second worktree: all must survive."""
    git(repo, "branch", "feature")
    tracked = sorted(git(repo, "ls-files", "*.nix").decode().split())[0]
    original = (repo / tracked).read_bytes()
    (repo / tracked).write_bytes(original + b"# stashed edit\n")
    git(repo, "stash", "-q")
    (repo / "scratch-notes.txt").write_text("untracked, not part of any commit\n")
    git(repo, "worktree", "add", "-q", "-b", "side", repo.parent / f"{repo.name}-side")


def migrate(*args, tmpdir: Path) -> subprocess.CompletedProcess:
    """One run of the command; its TMPDIR must be empty again afterwards."""
    tmpdir.mkdir(exist_ok=True)
    result = subprocess.run([*MIGRATE, *map(str, args)], capture_output=True, text=True, env=base_env(tmpdir))
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert list(tmpdir.iterdir()) == [], f"left in TMPDIR by `migrate {' '.join(map(str, args))}`"
    return result


def assert_only_new_ref(before: dict, after: dict, ref: str, sha: str) -> None:
    difference = changed(before, after)
    assert difference.keys() <= {"refs", "git_files"}, difference
    assert set(after["refs"]) ^ set(before["refs"]) == {f"{ref} {sha} "}
    assert set(after["git_files"]) ^ set(before["git_files"]) <= {ref}  # a loose ref, unless packed


def tree_files(repo: Path, commit: str) -> dict[str, tuple[str, bytes]]:
    """Path -> (mode, content) of every file in COMMIT; a symlink's content is its target."""
    entries = []
    for record in git(repo, "ls-tree", "-r", "-z", "--full-tree", commit).split(b"\0"):
        if record:
            meta, path = record.split(b"\t", 1)
            mode, kind, name = meta.decode().split()
            assert kind == "blob", (path, kind)
            entries.append((os.fsdecode(path), mode, name))
    batch = git(repo, "cat-file", "--batch", input="".join(f"{name}\n" for _, _, name in entries).encode())
    files, offset = {}, 0
    for path, mode, name in entries:
        header_end = batch.index(b"\n", offset)
        got_name, _, size = batch[offset:header_end].decode().split()
        assert got_name == name
        start = header_end + 1
        files[path] = (mode, batch[start:start + int(size)])
        offset = start + int(size) + 1
    return files


def directory_files(root: Path) -> dict[str, tuple[str, bytes]]:
    """The same view of a directory: what checking that commit out would give."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = Path(dirpath, name)
            info = path.lstat()
            rel = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                files[rel] = ("120000", os.fsencode(os.readlink(path)))
            else:
                files[rel] = ("100755" if info.st_mode & stat.S_IXUSR else "100644", path.read_bytes())
    return files


def name_status(repo: Path, old: str, new: str, *options: str) -> list[tuple[str, ...]]:
    """`git diff --find-renames --name-status` as (status, path[, new path]) tuples."""
    fields = git(repo, "diff", "-z", "--find-renames", "--name-status", *options, old, new).decode().split("\0")
    records, i = [], 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        width = 3 if status[0] in "RC" else 2
        records.append(tuple(fields[i:i + width]))
        i += width
    return records


def expected_analysis(name: str) -> dict:
    # Written by hand from reading the sample (tests/expected/README.md), not by the tool.
    return json.loads((EXPECTED / name / "analysis.json").read_text())


SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())
ALREADY = [n for n in SAMPLE_NAMES if expected_analysis(n)["layout"] == "already-migrated"]
MIGRATING = [n for n in SAMPLE_NAMES if n not in ALREADY]


def test_the_samples_cover_both_outcomes():
    assert MIGRATING and ALREADY, (MIGRATING, ALREADY)


# ---------------------------------------------------------------- each sample, migrated


@pytest.fixture(scope="module", params=MIGRATING)
def migrated(request, tmp_path_factory) -> SimpleNamespace:
    """A sample as a repository in everyday use, migrated three ways, with its states."""
    m = SimpleNamespace(name=request.param)
    root = tmp_path_factory.mktemp(m.name)
    m.repo = make_repo(root / "dotfiles", SAMPLES / m.name)
    in_everyday_use(m.repo)
    m.base = rev(m.repo, "HEAD")
    m.before = repo_state(m.repo)

    m.plain = migrate(m.repo, tmpdir=root / "tmp")
    m.after_plain = repo_state(m.repo)
    m.first = rev(m.repo, BRANCH)

    m.forced = migrate(m.repo, "--json", "--force", tmpdir=root / "tmp")
    m.document = json.loads(m.forced.stdout) if m.forced.returncode == 0 else None
    m.after = repo_state(m.repo)
    m.commit = rev(m.repo, BRANCH)

    m.out_dir = root / "out"
    m.out = migrate(m.repo, "--out", m.out_dir, tmpdir=root / "tmp")
    m.after_out = repo_state(m.repo)
    return m


def test_migrate_commits_on_a_new_branch(migrated):
    m = migrated
    assert m.plain.returncode == 0, m.plain.stderr
    assert m.plain.stderr == ""
    assert m.first is not None, "no branch after a successful run"
    assert rev(m.repo, f"{BRANCH}^") == m.base
    status = m.plain.stdout.rstrip().splitlines()[-1]
    assert m.first[:12] in status and BRANCH in status, status


def test_json_names_the_branch_and_the_commit(migrated):
    m = migrated
    assert m.forced.returncode == 0, m.forced.stderr
    assert m.document["status"] == "migrated"
    assert m.document["branch"] == BRANCH
    assert m.document["commit"] == m.commit
    assert rev(m.repo, f"{m.commit}^") == m.base
    # The same HEAD gives the same tree, whichever run made the commit.
    assert rev(m.repo, f"{m.commit}^{{tree}}") == rev(m.repo, f"{m.first}^{{tree}}")


def test_nothing_but_the_branch_changes(migrated):
    m = migrated
    assert_only_new_ref(m.before, m.after_plain, f"refs/heads/{BRANCH}", m.first)
    if m.commit == m.first:  # same second, same commit: --force had nothing to move
        assert m.after == m.after_plain, changed(m.after_plain, m.after)
    else:
        difference = changed(m.after_plain, m.after)
        assert difference.keys() == {"refs"}, difference
        assert set(m.after["refs"]) ^ set(m.after_plain["refs"]) == {
            f"refs/heads/{BRANCH} {m.first} ", f"refs/heads/{BRANCH} {m.commit} "}
    assert m.after_out == m.after


def test_moves_show_as_renames(migrated):
    m = migrated
    moves = [(move["old"], move["new"]) for move in m.document["plan"]]
    base, branch = tree_files(m.repo, m.base), tree_files(m.repo, m.commit)
    records = name_status(m.repo, m.base, m.commit)
    if expected_analysis(m.name)["layout"] == "flakes-in-folders":
        # the host's flake is edited in place: nothing moves, nothing but the notes is added
        assert not moves
        assert {r[0] for r in records if r[1] != "MIGRATION.md"} == {"M"}, records
        return
    assert moves, "a migrating sample moves files"
    renames = {(r[1], r[2]): r[0] for r in records if r[0].startswith("R")}
    added = {r[1] for r in records if r[0] == "A"}
    deleted = {r[1] for r in records if r[0] == "D"}
    identical = [(old, new) for old, new in moves if base[old] == branch[new]]
    assert identical, "every sample has files that move unchanged"
    for old, new in moves:
        assert old not in branch and new not in base, (old, new)
        if (old, new) in identical:
            assert renames.get((old, new)) == "R100", (old, new, records)
        elif (old, new) in renames:
            assert int(renames[old, new][1:]) < 100, (old, new)  # edited on the way
        else:
            # Git pairs a moved file only when it kept at least half of its content.
            assert old in deleted and new in added, (old, new, records)
            [(score, *_)] = name_status(m.repo, m.base, m.commit, "-M1%", "--", old, new)
            assert score.startswith("R") and int(score[1:]) < 50, (old, new, score)
    # No rename git sees is one the plan did not make.
    assert set(renames) <= set(moves), set(renames) - set(moves)


def test_migration_notes_are_on_the_branch(migrated):
    m = migrated
    message = git(m.repo, "log", "-1", "--format=%B", m.commit).decode()
    named = [line for line in message.splitlines() if "MIGRATION" in line]
    assert named and "MIGRATION.md" in named[0], message
    files = tree_files(m.repo, m.commit)
    assert "MIGRATION.md" in files and "MIGRATION.md" not in tree_files(m.repo, m.base)
    notes = files["MIGRATION.md"][1].decode()
    for move in m.document["plan"]:
        assert move["new"] in notes, move


def test_the_branch_is_the_out_tree(migrated):
    m = migrated
    assert m.out.returncode == 0, m.out.stderr
    on_branch, written = tree_files(m.repo, m.commit), directory_files(m.out_dir)
    assert sorted(on_branch) == sorted(written)
    differing = sorted(p for p in on_branch if on_branch[p] != written[p])
    assert differing == [], differing


def test_commit_message_summarises_the_migration(migrated):
    m = migrated
    message = git(m.repo, "log", "-1", "--format=%B", m.commit).decode()
    fields = dict(line.split(": ", 1) for line in message.splitlines() if ": " in line)
    # the hosts the standalone configurations move into (a host already running Home
    # Manager as a NixOS module is left as it is)
    homes = [h for h in expected_analysis(m.name)["home_configurations"].values() if not h["integrated"]]
    placed = [(host, home["user"]) for home in homes
              for host in home.get("hosts", [home["host"]] if home["host"] else [])]
    with_users = sorted({host for host, _user in placed})
    users = sorted({user for _host, user in placed})
    assert sorted(fields["Hosts"].split(", ")) == with_users, message
    assert sorted(fields["Users"].split(", ")) == users, message
    assert int(fields["Files moved"]) == len(m.document["plan"]), message
    rules = sorted({finding["id"] for finding in m.document["rules"]})
    assert rules, "every migrating sample triggers rules"
    assert fields["Rules applied"].split(", ") == rules, message
    for host in with_users:
        assert host in message.splitlines()[0], message


@pytest.mark.parametrize("name", ALREADY)
def test_an_already_migrated_repository_gets_no_branch(name, tmp_path):
    repo = make_repo(tmp_path / "dotfiles", SAMPLES / name)
    in_everyday_use(repo)
    before = repo_state(repo)
    plain = migrate(repo, tmpdir=tmp_path / "tmp")
    assert plain.returncode == 0, plain.stderr
    document = json.loads(migrate(repo, "--json", tmpdir=tmp_path / "tmp").stdout)
    assert document["status"] == "already-migrated"
    assert document["plan"] == [] and "branch" not in document and "commit" not in document
    out = migrate(repo, "--out", tmp_path / "out", tmpdir=tmp_path / "tmp")
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "out").exists()
    after = repo_state(repo)
    assert after == before, changed(before, after)


# ---------------------------------------------------------------- refusals


@pytest.fixture
def repo(tmp_path) -> Path:
    repo = make_repo(tmp_path / "dotfiles", SAMPLES / "ian-style")
    in_everyday_use(repo)
    return repo


def assert_refused(*args, tmpdir: Path, state, code: int = 1) -> str:
    """The one-line message of a refusal, checked with and without --json; STATE() unchanged."""
    before = state()
    plain = migrate(*args, tmpdir=tmpdir)
    assert plain.returncode == code, (plain.stdout, plain.stderr)
    assert plain.stdout == ""
    lines = plain.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("migrate: "), plain.stderr
    as_json = migrate(*args, "--json", tmpdir=tmpdir)
    assert as_json.returncode == code
    assert as_json.stderr == plain.stderr
    assert json.loads(as_json.stdout) == {"status": "refused", "message": lines[0].removeprefix("migrate: ")}
    after = state()
    assert after == before, changed(before, after)
    return lines[0]


def test_refuses_a_directory_that_is_not_a_repository(tmp_path):
    plain = tmp_path / "dotfiles"
    shutil.copytree(SAMPLES / "ian-style", plain)
    message = assert_refused(plain, tmpdir=tmp_path / "tmp", state=lambda: working_tree(plain))
    assert "not a git repository" in message
    assert "--out" in message and "--dry-run" in message
    assert not (plain / ".git").exists()  # working_tree() does not look there


def test_refuses_a_folder_inside_a_repository(repo, tmp_path):
    # Migrating it would commit on the enclosing project.
    message = assert_refused(repo / "nixos", tmpdir=tmp_path / "tmp", state=lambda: repo_state(repo))
    assert "not a git repository" in message


@pytest.mark.parametrize("edit", ["modified", "staged"])
def test_refuses_a_dirty_tree_unless_allowed(repo, tmp_path, edit):
    marker = "# uncommitted edit, not for the branch"
    target = repo / "nixos" / "configuration.nix"
    target.write_text(target.read_text() + marker + "\n")
    if edit == "staged":
        git(repo, "add", target)
    message = assert_refused(repo, tmpdir=tmp_path / "tmp", state=lambda: repo_state(repo))
    assert "uncommitted changes" in message and "--allow-dirty" in message

    before = repo_state(repo)
    allowed = migrate(repo, "--allow-dirty", tmpdir=tmp_path / "tmp")
    assert allowed.returncode == 0, allowed.stderr
    notes = [line for line in allowed.stdout.splitlines() if "uncommitted" in line]
    assert len(notes) == 1 and "HEAD" in notes[0], allowed.stdout
    assert_only_new_ref(before, repo_state(repo), f"refs/heads/{BRANCH}", rev(repo, BRANCH))
    assert git(repo, "grep", "-F", marker, BRANCH, check=False) == b""


def test_refuses_an_existing_branch_unless_forced(repo, tmp_path):
    git(repo, "branch", BRANCH, "feature")
    old = rev(repo, BRANCH)
    git(repo, "commit", "-q", "--allow-empty", "-m", "newer")  # the old branch is not the base
    message = assert_refused(repo, tmpdir=tmp_path / "tmp", state=lambda: repo_state(repo))
    assert BRANCH in message and "--force" in message

    before = repo_state(repo)
    forced = migrate(repo, "--force", tmpdir=tmp_path / "tmp")
    assert forced.returncode == 0, forced.stderr
    new = rev(repo, BRANCH)
    assert new != old and rev(repo, f"{BRANCH}^") == rev(repo, "HEAD")
    difference = changed(before, repo_state(repo))
    assert difference.keys() == {"refs"}, difference
    assert set(difference["refs"][0]) ^ set(difference["refs"][1]) == {
        f"refs/heads/{BRANCH} {old} ", f"refs/heads/{BRANCH} {new} "}


def test_refuses_another_branch_name_that_exists(repo, tmp_path):
    message = assert_refused(repo, "--branch", "feature", tmpdir=tmp_path / "tmp", state=lambda: repo_state(repo))
    assert "'feature'" in message


def test_refuses_a_detached_head(repo, tmp_path):
    git(repo, "checkout", "-q", "--detach")
    message = assert_refused(repo, tmpdir=tmp_path / "tmp", state=lambda: repo_state(repo))
    assert "detached" in message


def test_refuses_a_repository_without_commits(tmp_path):
    repo = tmp_path / "dotfiles"
    shutil.copytree(SAMPLES / "ian-style", repo)
    git(repo, "init", "-q", "--template=", "-b", "main")
    message = assert_refused(repo, tmpdir=tmp_path / "tmp", state=lambda: repo_state(repo))
    assert "no commits" in message


def test_refuses_an_unknown_layout(tmp_path):
    repo = tmp_path / "dotfiles"
    repo.mkdir()
    (repo / "packages.nix").write_text("{ pkgs }: [ pkgs.hello pkgs.ripgrep ]\n")
    make_repo(repo)
    message = assert_refused(repo, tmpdir=tmp_path / "tmp", state=lambda: repo_state(repo))
    assert "unknown layout" in message


def test_refuses_an_out_dir_that_is_not_empty(repo, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine\n")
    message = assert_refused(repo, "--out", out, tmpdir=tmp_path / "tmp",
                             state=lambda: (repo_state(repo), working_tree(out)))
    assert "--out" in message


@pytest.mark.parametrize("args, complaint", [
    (["--attach", "nobody"], "USER=HOST"),
    (["--out", "{file}"], "is a file"),
    (["--no-such-option"], "No such option"),
], ids=["attach", "out-file", "option"])
def test_usage_errors_change_nothing(repo, tmp_path, args, complaint):
    taken = tmp_path / "taken"
    taken.write_text("mine\n")
    before = repo_state(repo)
    for extra in ([], ["--json"]):
        result = migrate(repo, *[a.format(file=taken) for a in args], *extra, tmpdir=tmp_path / "tmp")
        assert result.returncode == 2 and result.stdout == "", result
        assert complaint in result.stderr
    assert repo_state(repo) == before
    assert taken.read_text() == "mine\n"


# ---------------------------------------------------------------- interruption

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import generate_wimpy_repo  # noqa: E402

MODULES = 300  # about 1.5 s of work for migrate: room for signals at distinct stages
# Up to this fraction of the shorter of two measured runs, a run cannot have finished,
# even when the load on the machine drops by half between the measure and the run.
SURELY_RUNNING = 0.4


def catches(pid: int, signum: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = next(int(line.split()[1], 16) for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(mask >> (signum - 1) & 1)


def wait_for(condition, what: str, timeout: float = 30, step: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} never happened"
        time.sleep(step)


def start(repo: Path, *args, tmpdir: Path) -> subprocess.Popen:
    """migrate REPO ARGS, returned once its signal handling is in place."""
    tmpdir.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [*MIGRATE, str(repo), *args], env=base_env(tmpdir), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,  # its own session and process group, as a shell job has
    )
    # Before migrate installs its handlers (SIGTERM caught is the sign), a signal ends
    # the interpreter while it starts, which says nothing about migrate; measured from
    # here, the delays land at the same stages of the run however slow the start.
    wait_for(lambda: catches(process.pid, signal.SIGTERM) or process.poll() is not None,
             "migrate's signal handlers", step=0.001)
    return process


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> SimpleNamespace:
    """A synthetic repository in everyday use, its state, and how long a run takes."""
    b = SimpleNamespace()
    root = tmp_path_factory.mktemp("big")
    b.repo = root / "dotfiles"
    generate_wimpy_repo(b.repo, modules=MODULES, seed=0)
    make_repo(b.repo)
    in_everyday_use(b.repo)
    timings = []
    for _ in range(2):  # the shorter one: the first may pay for cold caches
        process = start(b.repo, "--branch", "timing", tmpdir=root / "tmp")
        began = time.monotonic()
        _, err = process.communicate()
        timings.append(time.monotonic() - began)
        assert process.returncode == 0, err
        git(b.repo, "update-ref", "-d", "refs/heads/timing")
    b.duration = min(timings)
    b.before = repo_state(b.repo)
    return b


def send(process: subprocess.Popen, signum: int) -> None:
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # Ctrl-C: the terminal signals the whole foreground job
    else:
        os.kill(process.pid, signum)  # kill PID


def still_running(session: int) -> list[str]:
    """Processes left in SESSION (git, nix-instantiate, hooks); zombies do not count."""
    running = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            running.append(stat_file.parent.name)
    return running


def finish_or_interrupted(process, signum, repo, before, tmpdir, *, may_finish) -> None:
    """Either interrupted with nothing left behind, or (if MAY_FINISH) done with only the branch added."""
    out, err = process.communicate(timeout=60)
    out, err = out.decode(errors="replace"), err.decode(errors="replace")
    assert "Traceback" not in err + out, err
    try:
        assert list(tmpdir.iterdir()) == []
        assert list((repo / ".git" / "objects").rglob("tmp_*")) == []  # no half-written pack or object
        assert still_running(process.pid) == []
        if process.returncode == 0:
            assert may_finish, f"{signal.Signals(signum).name} came too late to stop the run"
            assert err == ""
            assert_only_new_ref(before, repo_state(repo), f"refs/heads/{BRANCH}", rev(repo, BRANCH))
            return
        assert process.returncode == 128 + signum, (process.returncode, err)
        assert err.splitlines() == ["migrate: interrupted; nothing was written"], err
        after = repo_state(repo)
        assert after == before, changed(before, after)
    finally:
        if rev(repo, BRANCH):
            git(repo, "update-ref", "-d", f"refs/heads/{BRANCH}")  # the next case starts from the same state


@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.4, 0.6, 0.8, 0.95])
def test_ctrl_c_at_any_point_leaves_nothing_behind(big, tmp_path, fraction):
    process = start(big.repo, tmpdir=tmp_path / "tmp")
    time.sleep(fraction * big.duration)
    send(process, signal.SIGINT)
    finish_or_interrupted(process, signal.SIGINT, big.repo, big.before, tmp_path / "tmp",
                          may_finish=fraction > SURELY_RUNNING)


@pytest.mark.parametrize("signum, fraction", [(signal.SIGTERM, 0.2), (signal.SIGTERM, 0.7), (signal.SIGHUP, 0.4)],
                         ids=["SIGTERM-0.2", "SIGTERM-0.7", "SIGHUP-0.4"])
def test_sigterm_and_sighup_are_interruptions_too(big, tmp_path, signum, fraction):
    process = start(big.repo, tmpdir=tmp_path / "tmp")
    time.sleep(fraction * big.duration)
    send(process, signum)
    finish_or_interrupted(process, signum, big.repo, big.before, tmp_path / "tmp", may_finish=fraction > SURELY_RUNNING)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_after_the_commit_takes_the_branch_back(big, tmp_path, signum):
    """The branch exists while the report is printed: a signal then must not leave it behind."""
    process = start(big.repo, tmpdir=tmp_path / "tmp")
    # Nobody reads stdout yet, so the report (far larger than a pipe holds) blocks the
    # run with the branch already made.
    wait_for(lambda: rev(big.repo, BRANCH) is not None or process.poll() is not None, "the branch")
    assert process.poll() is None, process.communicate()
    send(process, signum)
    finish_or_interrupted(process, signum, big.repo, big.before, tmp_path / "tmp", may_finish=False)


def test_a_signal_after_out_is_written_removes_it(big, tmp_path):
    out = tmp_path / "out"
    process = start(big.repo, "--out", str(out), tmpdir=tmp_path / "tmp")
    wait_for(lambda: out.exists() or process.poll() is not None, "the --out directory")
    assert process.poll() is None, process.communicate()
    send(process, signal.SIGINT)
    finish_or_interrupted(process, signal.SIGINT, big.repo, big.before, tmp_path / "tmp", may_finish=False)
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]


# ---------------------------------------------------------------- signals at exact moments

def migrate_with(prelude: str, *args, tmpdir: Path) -> subprocess.CompletedProcess:
    """The command in a process where PRELUDE first put a signal at an exact moment."""
    tmpdir.mkdir(exist_ok=True)
    code = prelude + "\nfrom migrate.cli import main\nmain()\n"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=base_env(tmpdir))


def assert_interrupted(result, signum, tmpdir: Path) -> None:
    assert result.returncode == 128 + signum, (result.returncode, result.stderr)
    assert result.stderr.splitlines() == ["migrate: interrupted; nothing was written"], result.stderr
    assert list(tmpdir.iterdir()) == []


def test_ctrl_c_while_the_command_starts(repo, tmp_path):
    prelude = """
import os, signal, sys, time

class InterruptedImport:
    def find_spec(self, name, path=None, target=None):
        if name == "click":
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)  # Python runs the handler here, in the middle of importing click
        return None

sys.meta_path.insert(0, InterruptedImport())
"""
    before = repo_state(repo)
    result = migrate_with(prelude, repo, tmpdir=tmp_path / "tmp")
    assert_interrupted(result, signal.SIGINT, tmp_path / "tmp")
    assert repo_state(repo) == before


def test_an_interrupt_python_swallows_still_stops_the_run(repo, tmp_path):
    """Raised inside __del__ or a weakref callback (importlib has some), KeyboardInterrupt
    is printed as "Exception ignored" and dropped; the run must stop all the same."""
    prelude = """
import os, signal, time
import migrate.run

plan = migrate.run._plan

class Swallowing:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)  # the handler runs here, inside __del__

def plan_with_a_swallowed_signal(*args):
    Swallowing()
    return plan(*args)

migrate.run._plan = plan_with_a_swallowed_signal
"""
    before = repo_state(repo)
    result = migrate_with(prelude, repo, tmpdir=tmp_path / "tmp")
    assert_interrupted(result, signal.SIGTERM, tmp_path / "tmp")
    after = repo_state(repo)
    assert after == before, changed(before, after)


def test_temporary_files_are_removed_even_when_their_own_cleanup_was_cut_short(repo, tmp_path):
    # As a TemporaryDirectory leaves itself when a signal lands in its removal.
    prelude = """
import tempfile
import migrate.run

plan = migrate.run._plan

def plan_then_interrupted(*args):
    plan(*args)
    (open(tempfile.mkdtemp(prefix="half-removed-") + "/f.nix", "w")).close()
    raise KeyboardInterrupt
migrate.run._plan = plan_then_interrupted
"""
    before = repo_state(repo)
    result = migrate_with(prelude, repo, tmpdir=tmp_path / "tmp")
    assert_interrupted(result, signal.SIGINT, tmp_path / "tmp")
    assert repo_state(repo) == before


@pytest.mark.parametrize("where", ["branch", "out"])
def test_a_signal_as_the_run_ends_never_leaves_a_result_behind_a_failure(repo, tmp_path, where):
    """Exit 0 and the result kept, or an interruption and nothing kept: never a mix."""
    prelude = """
import os, signal, time
import migrate.run

done = migrate.run.Signals.done

def done_then_signalled(self):
    done(self)
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.2)

migrate.run.Signals.done = done_then_signalled
"""
    out = tmp_path / "out"
    before = repo_state(repo)
    result = migrate_with(prelude, repo, *(["--out", out] if where == "out" else []), tmpdir=tmp_path / "tmp")
    assert "Traceback" not in result.stderr
    kept = out.exists() if where == "out" else rev(repo, BRANCH) is not None
    if result.returncode == 0:
        assert kept and result.stderr == ""
    else:
        assert_interrupted(result, signal.SIGINT, tmp_path / "tmp")
        assert not kept
        assert repo_state(repo) == before
