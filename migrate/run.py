"""One migration run: pick the snapshot to read, analyse it, report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from migrate.errors import MigrateError


def _snapshot_for(repo_path: Path, *, dry_run: bool, out_dir, allow_dirty: bool):
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
    snapshot = gitrepo.head_snapshot(repository)
    if gitrepo.is_dirty(repository):
        if not (dry_run or allow_dirty):
            raise MigrateError(
                f"{repo_path}: the working tree has uncommitted changes; commit or stash them, "
                "or pass --allow-dirty (only the committed HEAD is read either way)"
            )
        notes.append("the working tree has uncommitted changes: only the committed HEAD was read")
    return snapshot, notes


def run(repo: str, *, dry_run, as_json, out_dir, branch, force, allow_dirty, attach, no_color) -> int:
    from migrate.analyze.analysis import analyze

    snapshot, notes = _snapshot_for(Path(repo), dry_run=dry_run, out_dir=out_dir, allow_dirty=allow_dirty)
    from migrate.rules import check_all

    analysis = analyze(snapshot, attach=attach)
    analysis.notes.extend(notes)
    findings = check_all(analysis)
    if as_json:
        document = analysis.to_json()
        document["rules"] = [finding.to_json() for finding in findings]
        json.dump(document, sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
    else:
        from migrate.report import print_analysis, print_findings, make_console

        console = make_console(no_color)
        print_analysis(analysis, console)
        print_findings(findings, console)
    if not dry_run:
        raise MigrateError(
            "this version analyses only: writing the migrated repository is not implemented yet; "
            "nothing was written (use --dry-run)"
        )
    return 0

