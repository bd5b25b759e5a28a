"""Where the files go, with fallbacks so that the layout never blocks the wiring.

Home Manager as a NixOS module is the migration; the new folder layout is a bonus.
The full layout is tried first. A folder it cannot move (a dynamic path whose family
of targets would split, a path string that would need changing, a target name that
is taken) is kept where it is, and the layout is computed again around it. When
nothing sensible is left (the repository's top folder itself would have to stay, or
the conflicts do not settle), every file stays where it is: the `keep` layout. Each
fallback is reported with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from migrate.analyze.evaluator import READ_DIR
from migrate.analyze.values import NixPath, force, unwrap
from migrate.errors import MigrateError
from migrate.nix.edit import ChangeSet
from migrate.plan.layout import Layout, LayoutConflict, LayoutConflicts, Move
from migrate.plan.paths import PathMap, Rewriter, family_of
from migrate.snapshot import normalize

LAYOUTS = ("full", "keep")
# Each round keeps at least one more folder in place; real repositories settle in two
# or three. Past this, keeping everything is cheaper than more rounds and as correct.
_MAX_ROUNDS = 8


@dataclass(frozen=True)
class Fallback:
    path: str  # the folder or file kept in place; "" for the whole repository (the keep layout)
    reason: str

    def to_json(self) -> dict:
        return {"path": self.path or ".", "reason": self.reason}

    def describe(self) -> str:
        what = "every file stays where it is (layout keep)" if self.path == "" else f"{self.path} stays where it is"
        return f"{what}: {self.reason}"


@dataclass
class Placement:
    moves: dict[str, Move]
    path_map: PathMap
    edits: dict[str, ChangeSet]  # old path -> path literal rewrites
    fallbacks: list[Fallback] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # paths to files git does not hold, kept as written


def place_files(analysis, snapshot, homes, layout: str = "full") -> Placement:
    if layout == "keep":
        return _keep(analysis, snapshot, [Fallback("", "asked for with --layout keep")])
    pinned: dict[str, str] = {}
    fallbacks: list[Fallback] = []
    families = _families(analysis, snapshot)
    listed = _listed_folders(analysis)
    self_rooted: set[str] = set()
    for _round in range(_MAX_ROUNDS):
        try:
            moves = Layout(analysis, snapshot, homes, pinned, families).compute()
            path_map = PathMap(snapshot, moves, keep_missing_text=analysis.layout != "channels", listed=listed)
            notes: list[str] = []
            edits = rewrite_paths(analysis, snapshot, path_map, notes)
            return Placement(moves, path_map, edits, fallbacks, notes)
        except LayoutConflicts as found:
            self_rooted.update(c.path for c in found.conflicts if isinstance(c, SelfRootedConflict))
            fresh = [c for c in found.conflicts if c.path not in pinned]
            if not fresh:
                break  # keeping them in place did not settle it
            # A folder named from the flake's root stays whatever the layout; the other
            # conflicts may come from moving it, so they wait for the next round.
            fresh = [c for c in fresh if c.path in self_rooted] or fresh
            if any(c.path == "" for c in fresh):
                top = next(c for c in fresh if c.path == "")
                return _keep(analysis, snapshot, fallbacks + [Fallback("", f"the top folder cannot move ({top.reason})")])
            for conflict in fresh:
                pinned[conflict.path] = conflict.reason
                fallbacks.append(Fallback(conflict.path, conflict.reason))
    return _keep(analysis, snapshot, fallbacks + [Fallback(
        "", "keeping single folders in place did not give a layout whose paths all still resolve")])


def _listed_folders(analysis) -> frozenset:
    """Folders some file lists with builtins.readDir (an import of every entry, say)."""
    return frozenset(path for _reader, path, kind in analysis.evaluator.reads if kind == READ_DIR)


def _families(analysis, snapshot) -> set[tuple[str, int]]:
    """(folder, levels) of every dynamic path literal of the repository."""
    found = set()
    for path in snapshot.nix_files():
        if path in analysis.unparsable:
            continue
        for literal in analysis.graph.index_of(path).paths:
            if literal.interpolated or literal.kind == "concat":
                family = family_of(path, literal)
                if family is not None:
                    found.add(family)
    return found


def _keep(analysis, snapshot, fallbacks: list[Fallback]) -> Placement:
    path_map = PathMap(snapshot, {}, keep_missing_text=analysis.layout != "channels")
    return Placement({}, path_map, rewrite_paths(analysis, snapshot, path_map), fallbacks)


def known_targets_of(analysis):
    """(file, literal) -> old targets the literal names for the roots that reach the file."""
    graph = analysis.graph
    cache: dict = {}
    imported_at: dict[str, set[str]] = {}  # file:line:col of a module-list item -> files it imported

    def targets(path: str, literal) -> set[str]:
        key = (path, literal.start)
        if key in cache:
            return cache[key]
        nix = analysis.evaluator.parse(path)
        if not imported_at:
            for root in list(analysis.hosts.values()) + list(analysis.homes.values()):
                for reached, reach in root.files.items():
                    for edge in reach.edges:
                        imported_at.setdefault(edge.where, set()).add(reached)
        # A helper outside every root's modules (`mkSystem = name: nixosSystem { modules = [ ./${name} ]; }`
        # in a file the flake reads) is evaluated by the flake: its values are the files roots imported there.
        found: set[str] = set(imported_at.get(nix.where(literal.node), ()))
        for root in list(analysis.hosts.values()) + list(analysis.homes.values()):
            if path not in root.files:
                continue
            with analysis.evaluator.quietly():
                value = unwrap(force(analysis.evaluator.eval_expr(literal.node, graph.module_args(root), nix)))
            if isinstance(value, NixPath) and value.path is not None:
                found.add(value.path)
        cache[key] = found
        return found

    return targets


def rewrite_paths(analysis, snapshot, path_map: PathMap, notes: Optional[list] = None) -> dict[str, ChangeSet]:
    """The path literal rewrites of every file; raises LayoutConflicts with every
    literal that no rewrite keeps pointing at its file. NOTES gets a line for each path
    to a file the repository does not hold that was kept as written in a moving file."""
    rewriter = Rewriter(path_map, known_targets_of(analysis))
    edits: dict[str, ChangeSet] = {}
    conflicts: dict[str, LayoutConflict] = {}
    for path in snapshot.nix_files():
        if path in analysis.unparsable:
            continue  # carried byte for byte, like any file that is not Nix
        index = analysis.graph.index_of(path)  # the analysis indexed most files already
        nix = index.file
        changes = None
        for literal in index.paths:
            if literal.kind not in ("relative", "concat"):
                continue
            try:
                text = rewriter.new_text(path, literal)
            except LayoutConflict as conflict:
                line, col = nix.line_col(literal.start)
                conflicts.setdefault(conflict.path, conflict.at(f"{path}:{line}:{col}"))
                continue
            except MigrateError as error:
                line, col = nix.line_col(literal.start)
                raise MigrateError(f"{path}:{line}:{col}: {error}") from None
            if text is None:
                continue
            changes = changes or ChangeSet(nix)
            changes.rewrite_path(literal, text)
        if changes is not None:
            edits[path] = changes
        for conflict in _self_rooted_conflicts(path, nix, path_map):
            conflicts.setdefault(conflict.path, conflict)
    if conflicts:
        raise LayoutConflicts(list(conflicts.values()))
    if notes is not None:
        for old_file, literal, now in rewriter.kept_missing:
            line = analysis.graph.index_of(old_file).file.line_col(literal.start)[0]
            note = (f"{old_file}:{line} names {literal.text}, which the repository does not hold (a flake "
                    f"cannot see it): kept as written, so it now means {now or '.'}; if you keep such a file "
                    "outside git, move it along")
            if note not in notes:  # `pathExists ./x` and `./x` on one line
                notes.append(note)
    return edits


# `"${self}/modules/home"` and `self + "/modules/home"` (also through `inputs.self` or
# `.outPath`) name a repository path from the flake's root in a string, which no path
# rewrite reaches.
_SELF = r'(?:inputs\.)?self(?:\.outPath)?'
_REST = r'/([A-Za-z0-9._+-][A-Za-z0-9._+/-]*)'
_SELF_ROOTED = re.compile(rf'\$\{{\s*{_SELF}\s*\}}{_REST}|(?<![\w.\'-]){_SELF}\s*\+\s*"{_REST}')


class SelfRootedConflict(LayoutConflict):
    """Holds whatever the rest of the layout does, so it is settled before the others."""


def _self_rooted_conflicts(path: str, nix, path_map: PathMap) -> list[SelfRootedConflict]:
    """What a self-rooted string in PATH names stays where it is, when the layout would move it."""
    if "self" not in nix.text:
        return []
    found = []
    for match in _SELF_ROOTED.finditer(nix.text):
        written = match.group(1) or match.group(2)
        named = normalize(written.rstrip("/"))
        if not named or (path_map.file(named) == named and path_map.folder(named) == named):
            continue
        line, col = nix.line_col(len(nix.text[:match.start()].encode("utf-8")))
        closed = nix.text[match.end():match.end() + 1] == '"'
        shown = ('"' if match.group(1) else "") + match.group(0) + ('"' if closed else '..."')
        found.append(SelfRootedConflict(named, f"`{shown}` names it from the flake's root, in a string the layout "
                                               f"does not rewrite ({path}:{line}:{col})"))
    return found
