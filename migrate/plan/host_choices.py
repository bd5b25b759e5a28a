"""Channels hosts that pick their machine by a symlink or a copy (analyze/host_choice.py):
the files that make the choice stay where they are, and the report says what the flake
builds and what it cannot.

A flake host is one fixed set of modules, while the link (or the copied file) differs
per machine: the flake gets the machine the repository picks now, and the other
machines' folders are listed. Moving the system's files would also move the link's
target away from the folders it is switched between, so the system side stays as it
is; Home Manager's files still move to modules/home/ (unless the choice reads them).
"""

from __future__ import annotations

import posixpath

from migrate.analyze.host_choice import COPY, SYMLINK, host_choice
from migrate.analyze.values import NixPath, force
from migrate.plan.layout import HOME_DIR


class Choices:
    """The machine choices of the roots a channels migration builds: each host's (as the
    analysis named it) and each migrating home's."""

    def __init__(self, analysis, snapshot, homes):
        self.found = [(f"host {name}", choice) for name, choice in sorted(analysis.host_choices.items())]
        reached = {path for root in [*analysis.hosts.values(), *analysis.homes.values()] for path in root.files}
        for home in homes:
            entries = [value.path for thunk, _importer, _conditions in home.entries
                       if isinstance(value := force(thunk), NixPath) and value.path is not None]
            choice = host_choice(snapshot, analysis.graph.index_of, home.files, reached, entries)
            if choice is None:
                continue
            same = next((i for i, (_label, known) in enumerate(self.found) if known.links == choice.links), None)
            if same is None:
                self.found.append((f"home {home.name}", choice))
            else:  # the home reads its machine's files through the host's link: one note
                label, known = self.found[same]
                self.found[same] = (f"{label} and home {home.name}", known)

    def pinned_moves(self, snapshot, moves: dict) -> dict:
        """MOVES without those that would change how a machine is picked: none of the
        folders the choice is made between, and for a host's choice only Home Manager's files."""
        if not self.found:
            return moves
        pinned = {path for _label, choice in self.found for path in choice.pinned()}
        # A host's choice keeps its whole system side in place; a home's only what it picks between.
        system_stays = any(label.startswith("host ") for label, _choice in self.found)
        kept = {old: move for old, move in moves.items()
                if (move.new.startswith(HOME_DIR + "/") or not system_stays) and not _under_any(old, pinned)}
        staying = {path for path in snapshot.paths() if path not in kept}
        if any(move.new in staying for move in kept.values()):
            return {}  # the layout is a bonus: rather none than one onto a file that stays
        return kept

    def placement(self, analysis, snapshot, placement):
        """PLACEMENT (plan/placement.py) without the moves pinned_moves drops, each pinned
        folder reported as a fallback; every file in place if the rest does not settle."""
        from migrate.plan.placement import Fallback, Placement, LayoutConflicts, _keep, rewrite_paths
        from migrate.plan.paths import PathMap

        if not self.found or not placement.moves:
            return placement
        moves = self.pinned_moves(snapshot, placement.moves)
        reasons = [Fallback(path, f"the machine choice of {label} ({choice.kind}) is made between these")
                   for label, choice in self.found for path in choice.pinned()]
        try:
            path_map = PathMap(snapshot, moves)
            return Placement(moves, path_map, rewrite_paths(analysis, snapshot, path_map),
                             placement.fallbacks + reasons)
        except LayoutConflicts:
            return _keep(analysis, snapshot, placement.fallbacks + reasons)

    def places(self) -> set[str]:
        """file:line places the notes already explain."""
        return {place for _label, choice in self.found for place in choice.places}

    def notes(self) -> list[str]:
        return [_note(label, choice) for label, choice in self.found]


def _under_any(path: str, folders: set[str]) -> bool:
    return any(path == folder or path.startswith(folder + "/") for folder in folders)


def _note(label: str, choice) -> str:
    others = ", ".join(f"{folder}/" for folder in choice.others)
    if choice.kind in (SYMLINK, COPY):
        link, target = choice.links[0]
        how = f"the symlink {link} -> {target}" if choice.kind == SYMLINK else f"{link}, a copy of {target}"
        more = f" (and {len(choice.links) - 1} more)" if len(choice.links) > 1 else ""
        staying = ("the system's files stay where they are so that the choice keeps working"
                   if label.startswith("host ") else
                   f"the {'link' if choice.kind == SYMLINK else 'copy'} and the folders it picks between stay "
                   "where they are")
        note = (f"{label} {'is' if ' and ' not in label else 'are'} the machine {how}{more} picks: the flake "
                f"builds this one, and {staying}")
        if others:
            note += (f"; {others} {'holds' if len(choice.others) == 1 else 'hold'} other machines of the same "
                     "shape, which the flake does not build: one flake host cannot follow a choice that differs "
                     "per machine, so give each its own host in flake.nix (its modules listed without the "
                     f"{'link' if choice.kind == SYMLINK else 'copy'})")
        return note
    missing = ", ".join(sorted({link for link, _name in choice.links}))
    example_link, file_name = choice.links[0]
    example = posixpath.relpath(f"{choice.machines[0]}/{file_name}", posixpath.dirname(example_link) or ".")
    return (f"{label}: {', '.join(choice.places)} {'imports' if len(choice.places) == 1 else 'import'} {missing}, "
            f"which git does not track; {', '.join(f + '/' for f in choice.machines)} hold files of "
            f"{'that name' if len(choice.links) == 1 else 'those names'}, one machine each, copied or linked in on "
            "the machine. A flake reads only what git tracks, so this builds once the choice is committed "
            f"(`ln -s {example} {example_link}`, then `git add` it, on each machine's branch) or each machine gets "
            "its own host in flake.nix; these folders stay where they are")
