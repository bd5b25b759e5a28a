"""Where every file of the repository goes in the target layout (DESIGN.md section 2).

Roles decide the layer: a host's own files go to ``hosts/<host>/``, shared system
modules to ``modules/nixos/``, user modules to ``modules/home/``; ``shared``,
``other`` files and everything outside the moving folders stay where they are.
Inside a layer the sub-folder structure is kept, relative to the folder that
held the whole layer before (``nixos/``, ``home-manager/``), so
``nixos/_mixins/services/x.nix`` becomes ``modules/nixos/_mixins/services/x.nix``.

Files that are not Nix (assets, scripts, configs) travel with the folder they
sit in when that folder moves as a whole, so the relative paths between a
module and its assets usually need no rewrite at all.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Iterable, Optional

from migrate.analyze.values import force
from migrate.errors import MigrateError
from migrate.plan.folder_index import FolderIndex

HOSTS_DIR = "hosts"
SYSTEM_DIR = "modules/nixos"
HOME_DIR = "modules/home"

# A folder with one of these names beside an entry file at the top of the repo
# (`home.nix` + `home/`) is that layer's folder, not a concern inside the layer.
_LAYER_FOLDER_NAMES = {
    "system": {"nixos", "system", "systems", "configuration"},
    "home": {"home", "home-manager", "hm", "homes", "user", "users"},
}


class LayoutConflict(MigrateError):
    """A folder (or file) that the layout cannot move without breaking a path: the
    planner keeps it where it is and lays out the rest around it."""

    def __init__(self, path: str, reason: str):
        self.path = path  # repo path to keep in place; "" is the whole repository
        self.reason = reason
        super().__init__(reason)

    def at(self, where: str) -> "LayoutConflict":
        return LayoutConflict(self.path, f"{self.reason} ({where})")


class LayoutConflicts(MigrateError):
    def __init__(self, conflicts: list[LayoutConflict]):
        self.conflicts = conflicts
        super().__init__("; ".join(str(c) for c in conflicts))


@dataclass(frozen=True)
class Move:
    old: str
    new: str
    reason: str

    def to_json(self) -> dict:
        return {"old": self.old, "new": self.new, "reason": self.reason}


def _under(path: str, directory: str) -> bool:
    return directory == "" or path == directory or path.startswith(directory + "/")


def _relative(path: str, directory: str) -> str:
    return path if directory == "" else path[len(directory) + 1:]


def _names_host(path: str, host: str) -> bool:
    """Whether a folder or the file name of PATH is the host's name (`hosts/kestrel/x.nix`, `kestrel.nix`)."""
    *folders, name = path.split("/")
    return host in folders or name.removesuffix(".nix") == host


def _top_folder(paths: list[str]) -> Optional[str]:
    """The first path component all PATHS share, when every one of them is inside it."""
    firsts = {p.split("/", 1)[0] for p in paths if "/" in p}
    if len(firsts) == 1 and all("/" in p for p in paths):
        return firsts.pop()
    return None


class Layout:
    """Computes ``moves`` (old path -> Move) for one analysis and snapshot."""

    def __init__(self, analysis, snapshot, migrating_homes, pinned: Optional[dict[str, str]] = None,
                 families: Iterable[tuple[str, int]] = ()):
        self.analysis = analysis
        self.pinned = pinned or {}  # folder or file -> why it stays where it is
        # Folders whose entries some path names N levels deep (`./${type}/${host}`): a
        # host folder at that depth keeps the levels (hosts/<type>/<host>), so that one
        # new prefix still serves the whole family.
        self.families = [(folder, depth) for folder, depth in families if depth > 1]
        self.snapshot = snapshot
        self.homes = migrating_homes
        self.moves: dict[str, Move] = {}
        self.folders: list[tuple[str, str, str]] = []  # (old dir, new dir, reason): non-Nix files follow
        self.in_host_folder: set[str] = set()  # a host's files already where the layout wants them
        self._module_edges: Optional[set[str]] = None  # files some root evaluates as a module

    # -- the plan ------------------------------------------------------------------------

    def compute(self) -> dict[str, Move]:
        if not self.homes:
            return {}
        roles = {path: info.role for path, info in self.analysis.files.items()}
        self._index = FolderIndex(roles)
        host_entries = self._host_entries(roles)
        self._place_hosts(roles, host_entries)
        self._place_layer(roles, "system", SYSTEM_DIR, [e for e in host_entries.values()])
        self._place_layer(roles, "home", HOME_DIR, [e for e in self._home_entries() if e not in self.moves
                                                    and e not in self.in_host_folder])
        self._place_followers(roles)
        self._keep_import_trees()
        self._keep_pinned()
        self._check_collisions()
        return self.moves

    def _keep_pinned(self) -> None:
        if not self.pinned:
            return
        for old in [old for old in self.moves if any(_under(old, kept) for kept in self.pinned)]:
            del self.moves[old]

    def _keep_import_trees(self) -> None:
        """A folder loaded with import-tree takes every .nix file in it as a flake module:
        what it holds stays (the folder is named as a whole), and nothing lands in it."""
        trees = getattr(self.analysis.evaluator, "import_trees", None)
        if trees:
            self.moves = {old: move for old, move in self.moves.items()
                          if not any(_under(old, tree) or _under(move.new, tree) for tree in trees)}

    def _host_entries(self, roles) -> dict[str, str]:
        """Each host's entry file: its own file closest to the root of its import graph."""
        entries = {}
        for name, host in self.analysis.hosts.items():
            own = [p for p, r in roles.items() if r == f"host:{name}" and p in host.files]
            if own:
                # Ties are common (`nixos/default.nix` importing both `./${hostname}` and
                # `./_mixins/users/${username}`, each used by one host only): the file
                # named after the host is its entry, not the one that sorts first.
                entries[name] = min(own, key=lambda p: (len(host.files[p].chain), not _names_host(p, name), p))
        return entries

    def _home_entries(self) -> list[str]:
        entries = []
        for home in self.homes:
            for thunk, _importer, _conditions in home.entries:
                path = getattr(force(thunk), "path", None)
                if isinstance(path, str):
                    resolved = self.analysis.evaluator.resolve_import(path)
                    if resolved and resolved not in entries:
                        entries.append(resolved)
        return entries

    def _place_hosts(self, roles, host_entries: dict[str, str]) -> None:
        for name, entry in sorted(host_entries.items()):
            base = posixpath.dirname(entry)
            target = f"{HOSTS_DIR}/{self._family_place(base) or name}"
            under_base = self._index.under(base)
            owned = base != "" and all(roles[p] in (f"host:{name}", "orphan") for p in under_base)
            if owned:
                self.folders.append((base, target, f"folder of host {name}"))
            for path in under_base:
                role = roles[path]
                own_user_module = role == "user" and base != "" and self._users_only_on(path, name)
                if role == f"host:{name}" or own_user_module:
                    new = f"{target}/{_relative(path, base)}"
                    self._add(path, new, f"used only by host {name}" if not own_user_module
                              else f"Home Manager module used only on host {name}: kept with it")
                    if new == path:
                        self.in_host_folder.add(path)
                elif owned and role == "orphan":
                    self._add(path, f"{target}/{_relative(path, base)}", f"not imported anywhere; moves with the folder of host {name}")
            self._rename_entry(entry, target, f"entry module of host {name}")

    def _family_place(self, base: str) -> Optional[str]:
        for folder, depth in self.families:
            if folder and _under(base, folder) and base != folder and _relative(base, folder).count("/") == depth - 1:
                return _relative(base, folder)
        return None

    def _users_only_on(self, path: str, host: str) -> bool:
        """Whether the user module in a host's folder (hosts/falcon/home.nix) is used only by
        Home Manager configurations of that host: the user keeps such a file with the host."""
        users = [home for home in self.analysis.homes.values() if path in home.files]
        return bool(users) and all(home in self.homes and home.hosts == [host] for home in users)

    def _rename_entry(self, entry: str, target_dir: str, reason: str) -> None:
        move = self.moves.get(entry)
        if move is None or posixpath.basename(move.new) == "default.nix":
            return
        wanted = f"{target_dir}/default.nix"
        taken = any(m.new == wanted for m in self.moves.values()) or (
            self.snapshot.exists(wanted) and wanted not in self.moves)
        if not taken:
            self.moves[entry] = Move(entry, wanted, reason)

    def _place_layer(self, roles, layer: str, target: str, entries: list[str]) -> None:
        role = "system" if layer == "system" else "user"
        moving = [p for p, r in sorted(roles.items()) if (r == role or (
            layer == "system" and r.startswith("host:"))) and p not in self.moves and not _under(p, target)
            and p not in self.in_host_folder and not any(_under(p, kept) for kept in self.pinned)]
        migrated = self._without_standalone_only(moving)
        kept = set(migrated)
        standalone_only = [p for p in moving if p not in kept]
        moving = self._without_distant_values(migrated)
        if not moving:
            return
        root = self._layer_root(moving, entries, layer)
        # What only standalone configurations use moves only where leaving it would split
        # a folder that moves (a dynamic `./users/${name}` must still find every user).
        beside = {posixpath.dirname(p) for p in moving}
        moving = sorted(moving + [p for p in standalone_only
                                  if (root is not None and _under(p, root)) or posixpath.dirname(p) in beside])
        if root:
            self.folders.append((root, target, f"{layer} layer folder"))
        for path in moving:
            if root is not None and _under(path, root):
                new = f"{target}/{_relative(path, root)}"
            else:
                new = f"{target}/{path}"
            why = "system module shared by hosts" if layer == "system" else "Home Manager module"
            if roles[path].startswith("host:"):
                why = f"used only by {roles[path][5:]}, outside that host's folder: kept with the system modules"
            self._add(path, new, why)
        if root:
            for path, r in sorted(roles.items()):
                if r == "orphan" and _under(path, root) and path not in self.moves:
                    self._add(path, f"{target}/{_relative(path, root)}", f"not imported anywhere; moves with {root}/")
        if layer == "home":
            single = [e for e in entries if e in self.moves]
            if len(single) == 1:
                self._rename_entry(single[0], target, "Home Manager entry module")

    def _without_standalone_only(self, moving: list[str]) -> list[str]:
        """MOVING without the files only configurations that stay standalone use (a home
        for a machine that does not run NixOS)."""
        migrating = set().union(*(root.files for root in [*self.analysis.hosts.values(), *self.homes]))
        standalone = set().union(*(home.files for home in self.analysis.homes.values()))
        return [p for p in moving if p in migrating or p not in standalone]

    def _without_distant_values(self, moving: list[str]) -> list[str]:
        """MOVING without the files no configuration evaluates as a module (a package
        under pkgs/ that a module loads with callPackage) that sit outside every folder
        of the layer's modules: they are not modules, and stay where they are."""
        module_edges = self._module_edges
        if module_edges is None:
            module_edges = self._module_edges = {
                path for root in [*self.analysis.hosts.values(), *self.analysis.homes.values()]
                for path, reach in root.files.items() if any(edge.kind == "module" for edge in reach.edges)}
        module_dirs = {posixpath.dirname(p) for p in moving if p in module_edges}
        return [p for p in moving if p in module_edges or any(
            _under(posixpath.dirname(p), folder) for folder in module_dirs if folder)]

    def _layer_root(self, moving: list[str], entries: list[str], layer: str) -> Optional[str]:
        """The folder that held the whole layer: its contents keep their sub-folders below the target."""
        others = [p for p in moving if p not in entries]
        # A layer folder below a container (`modules/system/`, `modules/user/`): its
        # contents go straight into the layer, when no entry needs a place beside them.
        common = _common_folder(others)
        if common and "/" in common and posixpath.basename(common).lower() in _LAYER_FOLDER_NAMES[layer] \
                and not any(e in moving for e in entries):
            return common
        top = _top_folder(moving + [e for e in entries if e])
        if top is not None:
            return top
        folder = _top_folder(others) if others else None
        if folder is not None and folder.lower() in _LAYER_FOLDER_NAMES[layer] and all("/" not in e for e in entries):
            # `home.nix` beside `home/`: the folder's contents go straight into the layer.
            for entry in entries:
                if entry in moving and entry not in self.moves:
                    self._add(entry, f"{SYSTEM_DIR if layer == 'system' else HOME_DIR}/{entry}",
                              "Home Manager module" if layer == "home" else "system module")
            return folder
        return None

    def _whole_folders(self, roles) -> list[tuple[str, str, str]]:
        """Folders whose .nix files all moved by one prefix (`services/` to
        `modules/nixos/services/`): their other files go along."""
        found = []
        candidates = {posixpath.dirname(p) for p in self.moves} - {""}
        for folder in sorted(candidates, key=len):
            if any(_under(folder, f[0]) for f in found):
                continue
            inside = [p for p in self._index.under(folder) if roles[p] != "orphan" or p in self.moves]
            bases = {self.moves[p].new[: len(self.moves[p].new) - len(_relative(p, folder))].rstrip("/")
                     if p in self.moves and self.moves[p].new.endswith(_relative(p, folder)) else None for p in inside}
            if len(bases) == 1 and None not in bases:
                base = bases.pop()
                found.append((folder, base, f"all of {folder}/ moves"))
                for path in inside_orphans(roles, folder, self.moves, self._index):
                    self._add(path, f"{base}/{_relative(path, folder)}", f"not imported anywhere; moves with {folder}/")
        return found

    def _place_followers(self, roles) -> None:
        """Files the analysis has no role for (assets, scripts) move with their folder."""
        moving: dict[str, tuple[str, str]] = {}
        for old, new, reason in self.folders + self._whole_folders(roles):
            if old:
                moving.setdefault(old, (new, reason))  # the first word on a folder stands
        for path in self.snapshot.paths():
            if path in self.moves or path in roles:
                continue
            folder = path.rpartition("/")[0]  # posixpath.dirname, without its generality
            while folder and folder not in moving:  # the deepest moving folder holding the file
                folder = folder.rpartition("/")[0]
            if folder:
                new, reason = moving[folder]
                self._add(path, f"{new}/{_relative(path, folder)}", f"moves with its folder ({reason})")

    def _add(self, old: str, new: str, reason: str) -> None:
        if old != new:
            self.moves[old] = Move(old, new, reason)

    def _check_collisions(self) -> None:
        """A target name that is taken keeps the file that would move onto it where it is
        (its paths are rewritten like those of any file that stays)."""
        targets: dict[str, str] = {}
        conflicts: dict[str, LayoutConflict] = {}
        for move in self.moves.values():
            if move.new in targets:
                reason = f"{targets[move.new]} and {move.old} would both become {move.new}"
            elif move.new not in self.moves and self.snapshot.is_file(move.new):
                reason = f"{move.old} would move onto {move.new}, which exists and stays"
            else:
                targets[move.new] = move.old
                continue
            conflicts.setdefault(move.old, LayoutConflict(move.old, reason))
        if conflicts:
            raise LayoutConflicts(list(conflicts.values()))


def _common_folder(paths: list[str]) -> Optional[str]:
    """The deepest folder that holds every one of PATHS, when there is one."""
    if not paths:
        return None
    common = posixpath.commonpath(paths)
    if common in paths:  # one file, or one file's path a prefix of the others
        common = posixpath.dirname(common)
    return common or None


def inside_orphans(roles, folder: str, moves, index: FolderIndex) -> list[str]:
    return [p for p in index.under(folder) if roles[p] == "orphan" and p not in moves]

