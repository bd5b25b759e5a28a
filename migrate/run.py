"""One migration run: pick the snapshot to read, analyse it, report."""

from __future__ import annotations

import copy
import gc
import json
import shutil
import signal
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Union

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


def run(repo: str, *, dry_run, as_json, out_dir, branch, force, allow_dirty, attach, no_color, signals=None,
        layout: str = "full", channels: str = "flake", progress=None) -> int:
    """PROGRESS (migrate.progress.Progress) says what a long run does; by default on
    stderr when it is a terminal, and not for --json."""
    from migrate.progress import Progress

    signals = signals or Signals()
    progress = progress or Progress.for_run(as_json)
    try:
        return _run(repo, signals, progress, dry_run=dry_run, as_json=as_json, out_dir=out_dir, branch=branch,
                    force=force, allow_dirty=allow_dirty, attach=attach, no_color=no_color, layout=layout,
                    channels=channels)
    finally:
        progress.close()


def _run(repo, signals, progress, *, dry_run, as_json, out_dir, branch, force, allow_dirty, attach, no_color,
         layout, channels) -> int:
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
            _migrate(repo, target, signals, progress, dry_run=dry_run, as_json=as_json, out_dir=out_dir,
                     allow_dirty=allow_dirty, attach=attach, no_color=no_color, layout=layout, channels=channels)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    return 0


def _migrate(repo, target, signals: Signals, progress, *, dry_run, as_json, out_dir, allow_dirty, attach, no_color,
             layout, channels: str = "flake") -> None:
    from migrate.analyze.analysis import analyze

    progress.step("reading the committed files" if target is not None else "reading the repository")
    snapshot, notes = _snapshot_for(Path(repo), dry_run=dry_run, out_dir=out_dir, allow_dirty=allow_dirty,
                                    base_commit=target.base_commit if target is not None else None)
    progress.step(f"parsing and analysing {_count(snapshot.nix_files(), '.nix file')}")
    analysis = analyze(snapshot, attach=attach)
    # The analysis holds hundreds of thousands of long-lived objects; without this every
    # later full collection walks them all again (a quarter of a run on 5,000 modules).
    gc.freeze()
    analysis.notes.extend(notes)
    progress.step(f"checking the rules and planning the layout ({_count(analysis.hosts, 'host')}, "
                  f"{_count(analysis.homes, 'home')})")
    findings, plan = _plan(analysis, snapshot, layout, channels)
    options = dict(as_json=as_json, no_color=no_color, dry_run=dry_run)
    if plan.changes_anything:
        progress.step(f"verifying the planned tree ({_count(plan.tree, 'file')}) and preparing the diff")
        plan, findings, body = _verified_report(analysis, snapshot, plan, findings, attach, options, layout, channels)
    else:
        body = _report_body(analysis, plan, findings, "", **options)
    signals.check()  # nothing is written after a signal, even one Python swallowed
    result = {}

    def report() -> None:
        progress.close()
        _finish_report(body, _status(plan, result, dry_run), result, as_json=as_json, no_color=no_color)
        signals.done()

    if not plan.changes_anything or dry_run:
        report()
    elif out_dir:
        from migrate.output import write_tree
        out = Path(out_dir)
        existed = out.is_dir()
        signals.hold()  # from here, taking the tree back is ours to do
        progress.step(f"writing {out_dir}")
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
        progress.step(f"committing on the new branch {target.branch}")
        publish(target, files, commit_message(analysis, plan, findings), then=committed)


def _count(items, noun: str) -> str:
    number = len(items) if hasattr(items, "__len__") else sum(1 for _ in items)
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


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


def _plan(analysis, snapshot, layout: str, channels: str = "flake", forms: str = "natural"):
    """The rules' findings and the plan (its notes on old-path mentions come later, with the report)."""
    from migrate.plan import make_plan
    from migrate.rules import check_all, with_plan

    findings = check_all(analysis)
    plan = make_plan(analysis, snapshot, findings, mentions=False, layout=layout, channels=channels, forms=forms)
    return with_plan(findings, plan), plan


def _verified_report(analysis, snapshot, plan, findings, attach, options, layout="full", channels="flake"):
    """Verify the planned tree; meanwhile the other core makes the diff, the notes and
    the report. The plan gets the notes (and MIGRATION.md) only once verification passed.

    A plan that fails verification is made again, and the first of these that verifies
    is taken: every file in place (the layout is a bonus; the wiring is the migration);
    each host wrapped as it was built instead of the natural forms (the form is a bonus
    too); both. Raises VerificationError, before anything is written, when the planned
    tree is not equivalent to the original. Returns the plan, its findings and the
    report body.
    """
    from migrate.second_core import InBackground
    from migrate.verify import VerificationError, verify

    with InBackground(lambda: _report_material(analysis, snapshot, plan, findings, options)) as side:
        notes_before = len(plan.notes)
        differences = verify(analysis, plan, attach=attach)
        if not differences:
            # Notes verification added are not in what the other core made meanwhile.
            material = side.result() if len(plan.notes) == notes_before else None
    if not differences and material is None:
        material = _report_material(analysis, snapshot, plan, findings, options)
    if differences:
        from migrate.plan import Fallback

        first = differences[0] if len(differences) == 1 else f"{differences[0]} (and {len(differences) - 1} more)"
        attempts = [("keep", "natural")] if plan.moves else []
        if plan.natural_forms:
            attempts += [(layout, "wrapper")] + ([("keep", "wrapper")] if plan.moves else [])
        for layout_again, forms in attempts:
            again_findings, again = _plan(analysis, snapshot, layout_again, channels, forms)
            if layout_again == "keep" and plan.moves:
                again.fallbacks[:] = [Fallback("", f"the full layout failed verification: {first}")]
            if forms == "wrapper":
                again.notes.append(f"the hosts' Home Manager written in their own definitions failed verification "
                                   f"({first}): each host is wrapped as it was built instead")
            if not verify(analysis, again, attach=attach):
                # When none verifies, the user sees what differed in the plan as asked.
                differences, plan, findings = [], again, again_findings
                material = _report_material(analysis, snapshot, plan, findings, options)
                break
    if differences:
        raise VerificationError(differences)
    plan.notes.extend(material.mention_notes)
    plan.notes_file = material.notes_file
    plan.tree[material.notes_file] = material.notes_text.encode("utf-8")
    plan.modes[material.notes_file] = 0o100644
    return plan, findings, material.body


NOTES_FILE = "MIGRATION.md"


@dataclass
class ReportMaterial:
    mention_notes: list[str]
    notes_file: str
    notes_text: str
    body: "ReportBody"


def _report_material(analysis, snapshot, plan, findings, options) -> ReportMaterial:
    """What the report and MIGRATION.md need, computed without changing `plan` (this may
    run in a forked child, or here again if the child failed)."""
    from migrate.diff import unified
    from migrate.plan import mention_notes
    from migrate.report import markdown

    mentions = mention_notes(snapshot, plan)
    diff_text = unified(snapshot, plan)
    noted = copy.copy(plan)
    noted.notes = plan.notes + mentions
    notes_file = NOTES_FILE if NOTES_FILE not in plan.tree else "MIGRATION-hm-migrate.md"
    return ReportMaterial(mentions, notes_file, markdown(analysis, noted, findings, diff_text),
                          _report_body(analysis, noted, findings, diff_text, **options))


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
        broken = "; ".join(f"homeConfigurations.{name} stays standalone: it imports a module that cannot be read "
                           "(see the warnings)" for name in plan.kept_standalone)
        return "already migrated: Home Manager runs as a NixOS module here; nothing to change" + (
            f"; {broken}" if broken else "")
    if plan.nothing_to_do:
        return f"nothing to migrate: {plan.nothing_to_do}"
    if dry_run:
        return "dry run: nothing was written"
    if "out" in result:
        return f"wrote the migrated tree to {result['out']}"
    return f"committed {result['commit'][:12]} on new branch {result['branch']}; your current branch is untouched"


ReportBody = Union[dict, list]  # the JSON document, or the terminal report's (text, style) lines


def _report_body(analysis, plan, findings, diff_text, *, as_json, no_color, dry_run) -> ReportBody:
    """The whole report but its closing status line, which waits for the result."""
    if as_json:
        document = analysis.to_json()
        document["rules"] = [finding.to_json() for finding in findings]
        document["status"] = "already-migrated" if plan.already_migrated else (
            "nothing-to-do" if plan.nothing_to_do else ("planned" if dry_run else "migrated"))
        document["message"] = None  # the status line
        document["plan"] = plan.to_json()
        document["wiring"] = [wiring.to_json() for wiring in plan.wirings]
        if plan.next_steps:
            document["next_steps"] = plan.next_steps
        document["fallbacks"] = [fallback.to_json() for fallback in plan.fallbacks]
        document["diff"] = diff_text
        return document
    from migrate.report import Lines, print_analysis, print_diff, print_findings, print_plan

    out = Lines(no_color)
    print_analysis(analysis, out, plan if plan.changes_anything else None)
    print_findings(findings, out)
    if plan.changes_anything:
        print_plan(plan, out, analysis)
        print_diff(diff_text, out)
    out.add("")
    return out.items


def _finish_report(body: ReportBody, status: str, result: dict, *, as_json, no_color) -> None:
    if as_json:
        body["message"] = status
        body.update(result)
        json.dump(body, sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
        return
    from migrate.report import Lines

    out = Lines(no_color)
    out.items = body
    out.add(status, "bold")
    out.write()
