"""HM009: relative path literals in files that move, and in files that point at moved files."""

from __future__ import annotations

import posixpath

from migrate.rules._common import Rule, parse, path_literals, plural
from migrate.snapshot import join

EXPLANATION = r"""
What it does
  Counts, per file, the relative path literals the migration has to rewrite:
  every relative path in a file that moves (to `hosts/<host>/`,
  `modules/nixos/`, `modules/home/`), and every relative path in a file that
  stays (`flake.nix`, `lib/`, ...) but points at a file or folder that moves.
  It counts the forms apart: plain (`./tmux.nix`, `../assets/wall.png`),
  interpolated (`./${hostname}`, `./_mixins/users/${username}`), concatenated
  (`./. + "/_mixins/users/${username}"`) and coerced to strings
  (`"${./scripts/backup.sh}"`), and how many point at assets rather than
  `.nix` files.

Why
  A Nix path literal is resolved against the directory of the file it is
  written in. Moving `home-manager/tmux.nix` to `modules/home/tmux.nix` breaks
  its `./tmux.conf` unless the asset moves along or the literal is
  rewritten; an interpolated path can only be rewritten when every value of
  its variables is known. A broken path either fails the evaluation ("path
  '/nix/store/...-source/modules/home/tmux.conf' does not exist") or, through
  `builtins.pathExists`, silently drops an import.

Example
  Before (`home-manager/tmux.nix`):

    ```nix
    {
      programs.tmux.extraConfig = builtins.readFile ../assets/tmux.conf;
    }
    ```

  After (`modules/home/tmux.nix`):

    ```nix
    {
      programs.tmux.extraConfig = builtins.readFile ../../assets/tmux.conf;
    }
    ```

Fix
  Every literal is rewritten so it resolves to the same file, including
  interpolated and `./. + "/..."` forms; the static verification re-resolves
  them on the planned tree. Safe when the verification passes; an interpolated
  path whose values are not all known is reported for review.
"""

_MOVING = ("user", "system", "shared")


def _moves(role: str) -> bool:
    return role in _MOVING or role.startswith("host:")


def _static_target(directory: str, text: str):
    """The repo path a relative literal names (up to its first interpolation)."""
    head = text.split("${", 1)[0]
    if "${" in text:
        head = head.rsplit("/", 1)[0] if "/" in head else head
    return join(directory, head)


def _moved_prefixes(moving: set[str]) -> set[str]:
    prefixes = set(moving)
    for path in moving:
        parent = posixpath.dirname(path)
        while parent:
            prefixes.add(parent)
            parent = posixpath.dirname(parent)
    return prefixes


def detect(analysis) -> list:
    if analysis.layout == "already-migrated":
        return []
    files = analysis.files
    moving = {path for path, info in files.items() if _moves(info.role)}
    if not moving:
        return []
    prefixes = _moved_prefixes(moving)
    findings = []
    for path in sorted(files):
        info = files[path]
        nix = parse(analysis, path)
        if nix is None:
            continue
        directory = posixpath.dirname(path)
        counted = []
        for literal in path_literals(nix):
            if literal.kind not in ("relative", "concat"):
                continue
            base_text = literal.base.text() if literal.kind == "concat" else literal.text
            target = _static_target(directory, base_text)
            if target is None:
                continue  # leaves the repository: reported by the analysis, left as it is
            if not _moves(info.role) and target not in prefixes:
                continue
            counted.append((literal, target))
        if not counted:
            continue
        interpolated = sum(1 for lit, _ in counted if lit.interpolated)
        concat = sum(1 for lit, _ in counted if lit.kind == "concat")
        in_string = sum(1 for lit, _ in counted if lit.in_string)
        assets = sum(1 for lit, target in counted if not lit.interpolated and lit.kind != "concat"
                     and not target.endswith(".nix") and not _is_nix_dir(analysis, target))
        first = nix.line_col(counted[0][0].start)[0]
        details = _details(interpolated, concat, in_string, assets)
        why = "the file moves" if _moves(info.role) else "they point at files that move"
        findings.append(RULE.finding(
            path, first,
            f"{plural(len(counted), 'relative path')} to rewrite ({why})" + (f": {details}" if details else ""),
            role=info.role, moves=_moves(info.role), count=len(counted), interpolated=interpolated,
            concatenated=concat, in_string=in_string, assets=assets,
            lines=sorted({nix.line_col(lit.start)[0] for lit, _ in counted}),
            literals=[lit.text for lit, _ in counted][:50],
            ranges=[(lit.start, lit.end) for lit, _ in counted],
        ))
    return findings


def after_plan(finding, plan):
    """How many of the counted paths the plan rewrote: a path whose file and target move
    together (a folder moved whole) stays as it is."""
    ranges = finding.data.pop("ranges", [])
    edited = plan.edited_ranges.get(finding.file, [])
    gone = plan.removed_ranges.get(finding.file, [])
    removed = sum(1 for start, end in ranges if any(s <= start and end <= e for s, e in gone))
    rewritten = sum(1 for start, end in ranges if any(s <= start and end <= e for s, e in edited)) - removed
    finding.data["rewritten"] = rewritten
    if removed:
        finding.data["removed"] = removed
    left = len(ranges) - removed  # the paths still there
    moved = plan.moves_file(finding.file)
    if not plan.changes_anything:
        finding.message = f"{plural(left, 'relative path')} checked; nothing moves, so none is rewritten"
    elif rewritten == left and finding.data.get("moves") and not moved:
        # The role said the file moves; the layout kept it (a host's own folder).
        finding.message = finding.message.replace("(the file moves)", "(they point at files that move)", 1)
        finding.data["moves"] = False
    elif rewritten < left:
        kept = left - rewritten
        data = finding.data
        details = _details(data.get("interpolated", 0), data.get("concatenated", 0), data.get("in_string", 0),
                           data.get("assets", 0))
        named = "it names" if kept == 1 else "they name"
        together = f"the file and what {named} move together" if moved else f"neither the file nor what {named} moves"
        finding.message = (f"{plural(left, 'relative path')} checked: {rewritten} rewritten, {kept} still "
                           f"right as written ({together})" + (f": {details}" if details else ""))
    if removed:
        entries = f"the Home Manager {'entry' if removed == 1 else 'entries'} the migration removed from the flake"
        if left == 0:
            finding.message = f"{plural(removed, 'relative path')} went with {entries}"
        else:
            finding.message = (finding.message.replace(plural(len(ranges), "relative path"), plural(left, "relative path"), 1)
                               + f"; {removed} more went with {entries}")
    return finding


def _details(interpolated: int, concatenated: int, in_string: int, assets: int) -> str:
    return ", ".join(f"{n} {label}" for n, label in ((interpolated, "interpolated"),
                                                     (concatenated, "`./. + \"...\"`"),
                                                     (in_string, "in strings"), (assets, "to assets")) if n)


def _is_nix_dir(analysis, target: str) -> bool:
    snapshot = getattr(getattr(analysis, "evaluator", None), "snapshot", None)
    try:
        return bool(snapshot is not None and snapshot.is_dir(target))
    except Exception:
        return False


RULE = Rule(
    id="HM009",
    name="relative_paths",
    message="relative paths in moved files, and paths that point at moved files, must be rewritten",
    explanation=EXPLANATION,
    fix="every relative path literal is rewritten to resolve to the same file (checked by the static verification); "
        "interpolated paths with unknown values need review",
    safe=True,
    detect=detect,
    after_plan=after_plan,
)
