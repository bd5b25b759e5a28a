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

from migrate.errors import MigrateError
from migrate.plan.folder_index import FolderIndex
from migrate.snapshot import join


class PathMap:
    """Old repo path -> new repo path, for files and for folders."""

    def __init__(self, snapshot, moves: dict):
        self.snapshot = snapshot
        self.moves = {old: move.new for old, move in moves.items()}
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

    def target(self, path: str) -> Optional[str]:
        """The new place of a file or folder; a split folder imported as a module
        follows its default.nix."""
        if path == "":
            return ""  # the repository itself (`lib.cleanSource ../.`) stays the root, whatever moves inside
        if path in self.moves or self.snapshot.is_file(path):
            return self.file(path)
        if self.snapshot.is_dir(path):
            whole = self.folder(path)
            if whole is not None:
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


def _leaving(literal, old_dir: str, new_dir: str) -> None:
    """A path that leaves the repository is never followed, so it cannot be re-expressed
    against a verified target: it may keep its text only where it keeps its meaning."""
    if new_dir == old_dir:
        return None
    raise MigrateError(f"path {literal.text} points outside the repository, and the file moves to "
                       f"{new_dir or 'the top folder'}/ where it would name something else; bring what it names "
                       "into the repository or make it absolute, and run again")


_STRING_HEAD = re.compile(r'\s*\+\s*"((?:[^"\\$]|\\.|\$(?!\{))*)')


class Rewriter:
    """Computes the new text of each relative path literal of one file."""

    def __init__(self, path_map: PathMap, known_targets):
        self.map = path_map
        self.known_targets = known_targets  # (file, literal) -> set of old targets, or None

    def new_text(self, old_file: str, literal) -> Optional[str]:
        """The literal's new text, or None when it stays as written."""
        new_dir = posixpath.dirname(self.map.file(old_file))
        old_dir = posixpath.dirname(old_file)
        if literal.kind == "relative" and not literal.interpolated:
            target = join(old_dir, literal.text)
            if target is None:
                return _leaving(literal, old_dir, new_dir)
            new_target = self.map.target(target)
            if new_target is None:
                raise MigrateError(f"{literal.text} names folder {target}, "
                                   "whose files go to different places; nothing was written")
            text = nix_path(new_target, new_dir)
            return None if _same(text, literal.text, old_dir, new_dir, target, new_target) else text
        if literal.kind == "relative":
            return self._dynamic(old_file, literal, old_dir, new_dir, literal.text, "")
        if literal.kind == "concat":
            base = literal.base
            base_text = literal.text[: base.text_range()[1] - literal.start]
            if "${" in base_text:
                return self._dynamic(old_file, literal, old_dir, new_dir, base_text, literal.text[len(base_text):])
            match = _STRING_HEAD.match(literal.text, len(base_text))
            head = match.group(1) if match else ""
            return self._concat(old_file, literal, old_dir, new_dir, base_text, head)
        return None

    def _dynamic(self, old_file, literal, old_dir, new_dir, path_text: str, rest_after: str) -> Optional[str]:
        static = path_text[: path_text.index("${")]
        static_dir, _, _ = static.rpartition("/")
        tail = path_text[len(static_dir) + 1:]
        old_prefix = join(old_dir, static_dir or ".")
        if old_prefix is None:
            return _leaving(literal, old_dir, new_dir)
        new_prefix = self._new_prefix(old_file, literal, old_prefix, tail)
        if new_prefix == old_prefix and new_dir == old_dir:
            return None  # nothing moved: `_pubkeys/${host}.pem` keeps its own spelling
        prefix_text = nix_path(new_prefix, new_dir)
        text = (prefix_text.rstrip("/") if prefix_text != "./." else ".") + "/" + tail + rest_after
        return None if text == literal.text else text

    def _concat(self, old_file, literal, old_dir, new_dir, base_text: str, head: str) -> Optional[str]:
        base = join(old_dir, base_text)
        if base is None:
            # `/. + "/etc/x"` is absolute: it names the same thing from anywhere.
            return None if base_text.lstrip("(").startswith("/") else _leaving(literal, old_dir, new_dir)
        static_dir = head.rpartition("/")[0].strip("/")
        old_prefix = join(base, static_dir) if static_dir else base
        if old_prefix is None:
            return None
        new_prefix = self._new_prefix(old_file, literal, old_prefix, None)
        if static_dir:
            if not (new_prefix == static_dir or new_prefix.endswith("/" + static_dir)):
                raise MigrateError(f"`{literal.text}` would need its string changed "
                                   f"({old_prefix} goes to {new_prefix}); nothing was written")
            new_base = new_prefix[: len(new_prefix) - len(static_dir)].rstrip("/")
        else:
            new_base = new_prefix
        text = nix_path(new_base, new_dir)
        return None if _same(text, base_text, old_dir, new_dir, base, new_base) else literal.text.replace(base_text, text, 1)

    def _new_prefix(self, old_file, literal, old_prefix: str, tail: Optional[str]) -> str:
        whole = self.map.folder(old_prefix)
        if whole is not None:
            return whole
        targets = self.known_targets(old_file, literal) or set()
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
        raise MigrateError(
            f"cannot rewrite `{literal.text}`: the files under {old_prefix}/ go to "
            f"different places and the values it takes ({known}) do not agree on one new prefix; nothing was written")


def _same(new_text: str, old_text: str, old_dir: str, new_dir: str, target: str, new_target: str) -> bool:
    """Whether the old text still names the same place from the new folder (keeps `./x/` style)."""
    return old_dir == new_dir and target == new_target or (
        join(new_dir, old_text) == new_target and old_text != "")
