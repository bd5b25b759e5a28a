"""One migration run: pick the snapshot to read, analyse it, report."""

from __future__ import annotations

import gc
import json
import shutil
import signal
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from migrate.errors import MigrateError


class Signals:
    """SIGINT, SIGTERM and SIGHUP during a command-line run; `install` is for the CLI only.

    Until the result is written the first one raises KeyboardInterrupt at once, so that
    the `with` and `finally` blocks on the way out remove what the run made. While
    --out is written, the report printed, or the run's temporary files removed, they
    are only recorded (during publish(), publish records them itself), and `done`
    takes the result back before it raises. After `done` they are ignored: the run is
    complete and the process is about to exit 0, which a late signal must not turn
    into "interrupted; nothing was written" with the result kept. Without `install`
    (a caller of run() in its own process) none of this applies.
    """

    RAISE, DEFER, DONE = "raise", "defer", "done"

    def __init__(self) -> None:
        self.mode = self.RAISE
        self.pending = None

    def install(self) -> "Signals":
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            signum = getattr(signal, name, None)
            if signum is not None and signal.getsignal(signum) not in (signal.SIG_IGN, None):  # nohup stays
                signal.signal(signum, self._handle)
        # Raised inside a weakref callback or __del__, the interrupt is swallowed and
        # printed as "Exception ignored ... Traceback"; `pending` still has it (see check).
        default_hook = sys.unraisablehook
        sys.unraisablehook = lambda u: None if hasattr(u.exc_value, "signum") else default_hook(u)
        return self

    def _handle(self, signum, frame) -> None:
        if self.mode == self.DONE:
            return
        if self.pending is None:
            self.pending = signum
        if self.mode == self.RAISE:
            self.mode = self.DEFER  # a second Ctrl-C must not cut the cleanups short
            raise _interrupted(signum)

    def hold(self) -> None:
        if self.mode == self.RAISE:
            self.mode = self.DEFER

    def check(self) -> None:
        """Raise a signal that was held, or whose interrupt Python swallowed."""
        if self.pending is not None and self.mode != self.DONE:
            raise _interrupted(self.pending)

    def release(self) -> None:
        if self.mode == self.DEFER:
            self.mode = self.RAISE
        self.check()

    def done(self) -> None:
        """The run is complete, unless a signal came before; then KeyboardInterrupt."""
        self.mode = self.DONE  # first: a signal from here on is ignored, one before is in pending
        if self.pending is not None:
            raise _interrupted(self.pending)


def _interrupted(signum: int) -> KeyboardInterrupt:
    # Like publish.Interrupted, without importing publish inside a signal handler: the
    # signal may have come in the middle of that very import.
    error = KeyboardInterrupt(signal.Signals(signum).name)
    error.signum = signum
    return error


@contextmanager
def _private_tempdir(signals: Signals):
    """The run's temporary files (verification, publish) in one directory of its own.

    A signal can land while a `TemporaryDirectory` is being removed and leave it half
    removed; removing the parent afterwards, signals held, catches that too.
    """
    signals.hold()
    parent = tempfile.mkdtemp(prefix="hm-migrate-")
    previous, tempfile.tempdir = tempfile.tempdir, parent
    try:
        signals.release()
        yield
    finally:
        signals.hold()
        tempfile.tempdir = previous
        shutil.rmtree(parent, ignore_errors=True)


def _snapshot_for(repo_path: Path, *, dry_run: bool, out_dir, allow_dirty: bool, base_commit=None):
    """The version of the repository to read, and notes for the report."""
    from migrate import repo as gitrepo
    from migrate.snapshot import from_directory

    if not repo_path.exists():
        raise MigrateError(f"{repo_path}: no such directory")
    if not repo_path.is_dir():
        raise MigrateError(f"{repo_path}: not a directory")
    notes: list[str] = []
    top = gitrepo.git_toplevel(repo_path)
    if top is None:
        if not (dry_run or out_dir):
            raise MigrateError(
                f"{repo_path}: not a git repository; use --dry-run to see the plan or --out DIR to write the result elsewhere"
            )
        notes.append("not a git repository: reading the directory as it is")
        return from_directory(repo_path), notes
    repository = gitrepo.open_repository(top)
    # With a commit to publish on, read exactly that one: HEAD may move during the run.
    snapshot = gitrepo.head_snapshot(repository, base_commit)
    if gitrepo.is_dirty(repository):
        if not (dry_run or allow_dirty):
            raise MigrateError(
                f"{repo_path}: the working tree has uncommitted changes; commit or stash them, "
                "or pass --allow-dirty (only the committed HEAD is read either way)"
            )
        notes.append("the working tree has uncommitted changes: only the committed HEAD was read")
    return snapshot, notes


def run(repo: str, *, dry_run, as_json, out_dir, branch, force, allow_dirty, attach, no_color, signals=None) -> int:
    signals = signals or Signals()
    target = None
    if not dry_run and not out_dir:
        target = _git_target(Path(repo), branch, force)  # refusals come before any work
    if out_dir:
        _check_out_dir(Path(out_dir))
    # Few objects of a run form cycles: collecting less often saves time on large
    # repositories. Restored afterwards for callers that run more than once (tests).
    threshold = gc.get_threshold()
    gc.set_threshold(20_000, 20, 50)
    try:
        with _private_tempdir(signals):
            _migrate(repo, target, signals, dry_run=dry_run, as_json=as_json, out_dir=out_dir,
                     allow_dirty=allow_dirty, attach=attach, no_color=no_color)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    return 0


def _migrate(repo, target, signals: Signals, *, dry_run, as_json, out_dir, allow_dirty, attach, no_color) -> None:
    from migrate.analyze.analysis import analyze
    from migrate.rules import check_all, with_plan

    snapshot, notes = _snapshot_for(Path(repo), dry_run=dry_run, out_dir=out_dir, allow_dirty=allow_dirty,
                                    base_commit=target.base_commit if target is not None else None)
    analysis = analyze(snapshot, attach=attach)
    # The analysis holds hundreds of thousands of long-lived objects; without this every
    # later full collection walks them all again (a quarter of a run on 5,000 modules).
    gc.freeze()
    analysis.notes.extend(notes)
    findings = check_all(analysis)
    plan = _plan(analysis, snapshot, findings, attach)
    findings = with_plan(findings, plan)
    diff_text = ""
    if plan.changes_anything:
        from migrate.diff import unified
        diff_text = unified(snapshot, plan)
        _add_migration_notes(analysis, plan, findings, diff_text)
    signals.check()  # nothing is written after a signal, even one Python swallowed
    result = {}

    def report() -> None:
        _report(analysis, plan, findings, diff_text, result, as_json=as_json, no_color=no_color, dry_run=dry_run)
        signals.done()

    if not plan.changes_anything or dry_run:
        report()
    elif out_dir:
        from migrate.output import write_tree
        out = Path(out_dir)
        existed = out.is_dir()
        signals.hold()  # from here, taking the tree back is ours to do
        write_tree(plan, out)
        try:
            result["out"] = str(out_dir)
            report()
        except BaseException:
            _take_back(out, existed)
            raise
    else:
        from migrate.publish import publish
        files = {path: (data, plan.modes[path]) for path, data in plan.tree.items()}
        for path in snapshot.paths():
            if path not in plan.tree:
                files[path] = None

        def committed(sha: str) -> None:
            result["branch"], result["commit"] = target.branch, sha
            report()

        # The report is printed while publish can still take the branch back.
        publish(target, files, commit_message(analysis, plan, findings), then=committed)


def _take_back(out: Path, existed: bool) -> None:
    """Remove the --out tree this run wrote (put back the empty directory that was there)."""
    shutil.rmtree(out, ignore_errors=True)
    if existed:
        out.mkdir(exist_ok=True)


def _git_target(repo_path: Path, branch: str, force: bool):
    from migrate import repo as gitrepo
    from migrate.publish import prepare

    if repo_path.is_dir() and gitrepo.git_toplevel(repo_path) is None:
        raise MigrateError(
            f"{repo_path}: not a git repository; use --dry-run to see the plan or --out DIR to write the result elsewhere"
        )
    return prepare(repo_path, branch, force) if repo_path.is_dir() else None


def _check_out_dir(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise MigrateError(f"{out}: already exists and is not an empty directory; choose a new --out DIR")


def _plan(analysis, snapshot, findings, attach):
    from migrate.plan import make_plan
    from migrate.verify import VerificationError, verify

    plan = make_plan(analysis, snapshot, findings)
    if plan.changes_anything:
        differences = verify(analysis, plan, attach=attach)
        if differences:
            raise VerificationError(differences)
    return plan


NOTES_FILE = "MIGRATION.md"


def _add_migration_notes(analysis, plan, findings, diff_text) -> None:
    from migrate.report import markdown

    name = NOTES_FILE if NOTES_FILE not in plan.tree else "MIGRATION-hm-migrate.md"
    plan.notes_file = name
    plan.tree[name] = markdown(analysis, plan, findings, diff_text).encode("utf-8")
    plan.modes[name] = 0o100644


def commit_message(analysis, plan, findings) -> str:
    hosts = ", ".join(w.host for w in plan.wirings)
    users = sorted({u for w in plan.wirings for u in w.users})
    rules = sorted({f.rule_id for f in findings})
    lines = [f"Home Manager as a NixOS module on {hosts}", "",
             f"Hosts: {hosts}", f"Users: {', '.join(users)}",
             f"Replaced standalone configurations: {', '.join(plan.migrating)}"]
    if plan.kept_standalone:
        lines.append(f"Kept standalone: {', '.join(plan.kept_standalone)}")
    lines += [f"Files moved: {len(plan.moves)}", f"Files edited: {len(plan.changed)}",
              f"Rules applied: {', '.join(rules) if rules else 'none'}", "",
              f"See {getattr(plan, 'notes_file', NOTES_FILE)} for the plan, the diff and the next steps.",
              "", "Written by hm-migrate."]
    return "\n".join(lines) + "\n"


def _status(plan, result, dry_run) -> str:
    if plan.already_migrated:
        return "already migrated: Home Manager runs as a NixOS module here; nothing to change"
    if plan.nothing_to_do:
        return f"nothing to migrate: {plan.nothing_to_do}"
    if dry_run:
        return "dry run: nothing was written"
    if "out" in result:
        return f"wrote the migrated tree to {result['out']}"
    return f"committed {result['commit'][:12]} on new branch {result['branch']}; your current branch is untouched"


def _report(analysis, plan, findings, diff_text, result, *, as_json, no_color, dry_run) -> None:
    status = _status(plan, result, dry_run)
    if as_json:
        document = analysis.to_json()
        document["rules"] = [finding.to_json() for finding in findings]
        document["status"] = "already-migrated" if plan.already_migrated else (
            "nothing-to-do" if plan.nothing_to_do else ("planned" if dry_run else "migrated"))
        document["message"] = status
        document["plan"] = plan.to_json()
        document["diff"] = diff_text
        document.update(result)
        json.dump(document, sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
        return
    from migrate.report import Lines, print_analysis, print_diff, print_findings, print_plan

    out = Lines(no_color)
    print_analysis(analysis, out, plan if plan.changes_anything else None)
    print_findings(findings, out)
    if plan.changes_anything:
        print_plan(plan, out)
        print_diff(diff_text, out)
    out.add("")
    out.add(status, "bold")
    out.write()
