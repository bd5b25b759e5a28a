"""HM009: keep every relative path literal pointing at the same file after the moves.

A static path (`./x.nix`, `"${./tmux.conf}"`) is re-expressed from the file's
new folder to its target's new place.  A dynamic one (`./${hostname}`,
`./. + "/_mixins/users/${username}"`) is rewritten in its static prefix only:
when the prefix folder moves as a whole, every value lands where it did before;
when it is split (`nixos/` becomes `hosts/*` and `modules/nixos/`), the values
the analysis knows (each root evaluates the literal with its own arguments)
must all agree on one new prefix, else the run stops instead of guessing.
"""

from __future__ import annotations

import posixpath
import re
from typing import Optional

from migrate.plan.folder_index import FolderIndex
from migrate.plan.layout import LayoutConflict
from migrate.snapshot import join, normalize


class PathMap:
    """Old repo path -> new repo path, for files and for folders."""

    def __init__(self, snapshot, moves: dict, keep_missing_text: bool = False, listed: frozenset = frozenset()):
        self.snapshot = snapshot
        self.moves = {old: move.new for old, move in moves.items()}
        # Folders the configuration lists with builtins.readDir: a path to one names its
        # entries, so it has a new place only when they all move together.
        self.listed = listed
        # A flake sees only what git tracks: a path to a file the repository does not hold
        # names nothing before and after, so its text stays as written. (A channels setup
        # reads the working tree, where such a file may exist: there it keeps pointing at
        # the same place.)
        self.keep_missing_text = keep_missing_text
        self._folders: dict[str, Optional[str]] = {}
        self._index: Optional[FolderIndex] = None

    def file(self, path: str) -> str:
        return self.moves.get(path, path)

    def folder(self, path: str) -> Optional[str]:
        """Where folder PATH went, when all its files moved by the same prefix; else None."""
        if path in self._folders:
            return self._folders[path]
        prefix = path + "/" if path else ""
        found: Optional[str] = None
        uniform = True
        if self._index is None:
            self._index = FolderIndex(self.snapshot.paths())
        for old in self._index.under(path):
            new = self.file(old)
            tail = old[len(prefix):]
            if not new.endswith("/" + tail) and new != tail:
                uniform = False
                break
            base = new[: len(new) - len(tail)].rstrip("/")
            if found is None:
                found = base
            elif found != base:
                uniform = False
                break
        result = (found if found is not None else path) if uniform else None
        self._folders[path] = result
        return result

    def entries_at(self, folder: str, depth: int) -> list[str]:
        """The files and folders DEPTH levels below FOLDER."""
        if self._index is None:
            self._index = FolderIndex(self.snapshot.paths())
        prefix = folder + "/" if folder else ""
        found = set()
        for path in self._index.under(folder):
            parts = path[len(prefix):].split("/")
            if len(parts) >= depth:
                found.add(prefix + "/".join(parts[:depth]))
        return sorted(found)

    def target(self, path: str) -> Optional[str]:
        """The new place of a file or folder; a split folder imported as a module
        follows its default.nix."""
        if path == "":
            return ""  # the repository itself (`lib.cleanSource ../.`) stays the root, whatever moves inside
        if path in self.moves or self.snapshot.is_file(path):
            return self.file(path)
        if self.snapshot.is_dir(path):
            whole = self.folder(path)
            if whole is not None or path in self.listed:
                return whole
            entry = posixpath.join(path, "default.nix") if path else "default.nix"
            if self.snapshot.is_file(entry):
                return posixpath.dirname(self.file(entry))
            return None
        return path  # a missing target: keep it where the text said


def _relpath(target: str, directory: str) -> str:
    """posixpath.relpath for repository paths (no '..', no leading '/'), without the
    os.getcwd() that relpath calls twice per path."""
    to = target.split("/") if target else []
    start = directory.split("/") if directory else []
    common = 0
    for a, b in zip(to, start):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start) - common) + to[common:]
    return "/".join(parts) if parts else "."


def nix_path(target: str, directory: str) -> str:
    """A relative Nix path literal from DIRECTORY to TARGET (repo paths)."""
    rel = _relpath(target, directory)
    if rel == ".":
        return "./."
    if rel.startswith("../") or rel == "..":
        return rel if rel != ".." else "../."
    return "./" + rel


def _leaving(literal, old_file: str, old_dir: str, new_dir: str) -> None:
    """A path that leaves the repository is never followed, so it cannot be re-expressed
    against a verified target: it keeps its text, and its meaning only where its file stays."""
    if new_dir == old_dir:
        return None
    raise LayoutConflict(old_file, f"`{literal.text}` points outside the repository and names something "
                                   "else from any other folder")


_STRING_HEAD = re.compile(r'\s*\+\s*"((?:[^"\\$]|\\.|\$(?!\{))*)')


class Rewriter:
    """Computes the new text of each relative path literal of one file."""

    def __init__(self, path_map: PathMap, known_targets):
        self.map = path_map
        self.known_targets = known_targets  # (file, literal) -> set of old targets, or None
        # (old file, literal, where it now points) of paths to files the repository does not
        # hold, kept as written in a file that moves (see PathMap.keep_missing_text)
        self.kept_missing: list = []

    def new_text(self, old_file: str, literal) -> Optional[str]:
        """The literal's new text, or None when it stays as written."""
        new_dir = posixpath.dirname(self.map.file(old_file))
        old_dir = posixpath.dirname(old_file)
        if literal.kind == "relative" and not literal.interpolated:
            target = join(old_dir, literal.text)
            if target is None:
                return _leaving(literal, old_file, old_dir, new_dir)
            if self.map.keep_missing_text and not self.map.snapshot.exists(target) and target not in self.map.moves:
                if new_dir != old_dir:
                    self.kept_missing.append((old_file, literal, join(new_dir, literal.text)))
                return None
            new_target = self.map.target(target)
            if new_target is None:
                raise LayoutConflict(target, f"`{literal.text}` names this folder, whose files the full layout "
                                             "would send to different places")
            text = nix_path(new_target, new_dir)
            return None if _same(text, literal.text, old_dir, new_dir, target, new_target) else text
        if literal.kind == "relative":
            return self._dynamic(old_file, literal, old_dir, new_dir, literal.text, "")
        if literal.kind == "concat":
            base = literal.base
            base_text = literal.text[: base.text_range()[1] - literal.start]
            if "${" in base_text:
                return self._dynamic(old_file, literal, old_dir, new_dir, base_text, literal.text[len(base_text):])
            head, rest = _concat_string(literal.text, len(base_text))
            return self._concat(old_file, literal, old_dir, new_dir, base_text, head, rest)
        return None

    def _dynamic(self, old_file, literal, old_dir, new_dir, path_text: str, rest_after: str) -> Optional[str]:
        static_dir, tail = _split_dynamic(path_text)
        old_prefix = join(old_dir, static_dir or ".")
        if old_prefix is None:
            return _leaving(literal, old_file, old_dir, new_dir)
        new_prefix = self._new_prefix(old_file, literal, old_prefix, _depth(tail))
        if new_prefix == old_prefix and new_dir == old_dir:
            return None  # nothing moved: `_pubkeys/${host}.pem` keeps its own spelling
        prefix_text = nix_path(new_prefix, new_dir)
        text = (prefix_text.rstrip("/") if prefix_text != "./." else ".") + "/" + tail + rest_after
        return None if text == literal.text else text

    def _concat(self, old_file, literal, old_dir, new_dir, base_text: str, head: str, rest: str) -> Optional[str]:
        base = join(old_dir, base_text)
        if base is None:
            # `/. + "/etc/x"` is absolute: it names the same thing from anywhere.
            return None if base_text.lstrip("(").startswith("/") else _leaving(literal, old_file, old_dir, new_dir)
        static_dir = head.rpartition("/")[0].strip("/")
        old_prefix = join(base, static_dir) if static_dir else base
        if old_prefix is None:
            return None
        new_prefix = self._new_prefix(old_file, literal, old_prefix, _depth(_concat_tail(head, rest)))
        new_base = _base_for(new_prefix, static_dir, base) if static_dir else new_prefix
        if new_base is None:
            raise LayoutConflict(old_prefix, f"`{literal.text}` would need its string changed to name this folder "
                                             f"at {new_prefix}")
        text = nix_path(new_base, new_dir)
        return None if _same(text, base_text, old_dir, new_dir, base, new_base) else literal.text.replace(base_text, text, 1)

    def _new_prefix(self, old_file, literal, old_prefix: str, depth: Optional[int]) -> str:
        """The folder that holds, after the moves, every file the dynamic literal may name
        below OLD_PREFIX (DEPTH: how many folder levels its variable part spans)."""
        whole = self.map.folder(old_prefix)
        if whole is not None:
            return whole
        targets = self.known_targets(old_file, literal) or set()
        if not targets and depth is not None:
            # No root says which values it takes (a helper the flake calls, say): then
            # any entry at that depth may be named, and they must all agree.
            targets = set(self.map.entries_at(old_prefix, depth))
        candidates = set()
        for target in targets:
            if not self.map.snapshot.exists(target):
                continue  # a value for which the path does not exist (pathExists guards it)
            if not (target == old_prefix or target.startswith(old_prefix + "/")):
                continue
            suffix = target[len(old_prefix):]
            new = self.map.target(target)
            if new is None or not new.endswith(suffix):
                candidates.add(None)
                continue
            candidates.add(new[: len(new) - len(suffix)] if suffix else new)
        if len(candidates) == 1 and None not in candidates:
            return candidates.pop()
        known = ", ".join(sorted(targets)) or "none known"
        raise LayoutConflict(old_prefix, f"`{literal.text}` names a family of paths here ({known}) that the full "
                                         "layout would split")


def _split_dynamic(path_text: str) -> tuple[str, str]:
    """`./nixos/${type}/${host}` -> ("./nixos", "${type}/${host}"): the static folder and the rest."""
    static = path_text[: path_text.index("${")]
    static_dir = static.rpartition("/")[0]
    return static_dir, path_text[len(static_dir) + 1:]


def _concat_string(text: str, base_end: int) -> tuple[str, str]:
    """In `./. + "/users/${name}/x.nix"`, the string's static head (`/users/`) and what follows it."""
    match = _STRING_HEAD.match(text, base_end)
    return (match.group(1), text[match.end():]) if match else ("", "")


def _concat_tail(head: str, rest: str) -> Optional[str]:
    return head.rpartition("/")[2] + rest.partition('"')[0] if rest.startswith("${") else None


def family_of(old_file: str, literal) -> Optional[tuple[str, int]]:
    """(folder, levels) of the files a dynamic path literal may name: `./${type}/${host}`
    in nixos/default.nix names entries two levels below nixos/. None for other literals."""
    old_dir = posixpath.dirname(old_file)
    if literal.kind == "relative" and literal.interpolated:
        static_dir, tail = _split_dynamic(literal.text)
        folder = join(old_dir, static_dir or ".")
    elif literal.kind == "concat":
        base_text = literal.text[: literal.base.text_range()[1] - literal.start]
        if "${" in base_text:
            static_dir, tail = _split_dynamic(base_text)
            folder = join(old_dir, static_dir or ".")
        else:
            head, rest = _concat_string(literal.text, len(base_text))
            base = join(old_dir, base_text)
            static_dir = head.rpartition("/")[0].strip("/")
            folder = join(base, static_dir) if base is not None and static_dir else base
            tail = _concat_tail(head, rest)
    else:
        return None
    depth = _depth(tail)
    return (folder, depth) if folder is not None and depth is not None else None


def _depth(tail: Optional[str]) -> Optional[int]:
    """Folder levels of a dynamic path's tail down to its last interpolation (`${a}/${b}`
    and `${host}/default.nix` are 2 and 1, `${host}.nix` is 1); None without one."""
    if not tail or "${" not in tail:
        return None
    levels = tail.split("/")
    return max(i for i, level in enumerate(levels) if "${" in level) + 1


def _base_for(new_prefix: str, static_dir: str, old_base: str) -> Optional[str]:
    """The folder B with `B + "/STATIC_DIR"` == NEW_PREFIX, or None. STATIC_DIR may climb
    (`./. + "/../users/${name}"`): Nix resolves `..` in the joined string lexically, so
    B needs the old base's last folder names below the climb, whether or not B exists."""
    parts = static_dir.split("/")
    ups = 0
    while ups < len(parts) and parts[ups] == "..":
        ups += 1
    down = "/".join(p for p in parts[ups:] if p not in ("", "."))
    if down:
        if not (new_prefix == down or new_prefix.endswith("/" + down)):
            return None
        parent = new_prefix[: len(new_prefix) - len(down)].rstrip("/")
    else:
        parent = new_prefix
    if ups == 0:
        return parent
    climbed = old_base.split("/")[-ups:] if old_base else []
    if len(climbed) < ups:
        return None
    base = normalize("/".join([parent, *climbed]) if parent else "/".join(climbed))
    # The climb must land back on the parent from the new base, as it did from the old.
    return base if base is not None and join(base, static_dir) == new_prefix else None


def _same(new_text: str, old_text: str, old_dir: str, new_dir: str, target: str, new_target: str) -> bool:
    """Whether the old text still names the same place from the new folder (keeps `./x/` style)."""
    return old_dir == new_dir and target == new_target or (
        join(new_dir, old_text) == new_target and old_text != "")
