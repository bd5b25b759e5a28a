"""The migration as a git-style unified diff: moves shown as renames (with the
edit, if any), edited files as plain diffs, new files as additions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass
class FileDiff:
    old: str | None  # None for a new file
    new: str
    text: str  # the whole section, headers included

    @property
    def renamed(self) -> bool:
        return self.old is not None and self.old != self.new


def _lines(data: bytes) -> list[str] | None:
    if b"\0" in data[:8000]:
        return None
    try:
        return data.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return None


def _similarity(before: list[str], after: list[str]) -> int:
    return int(round(100 * difflib.SequenceMatcher(None, before, after, autojunk=False).ratio()))


def file_diffs(snapshot, plan) -> list[FileDiff]:
    renamed = {m.old: m.new for m in plan.moves}
    carried_from = getattr(plan.tree, "carried_from", lambda new: None)
    sections: list[FileDiff] = []
    old_paths = set(snapshot.paths())
    for old in sorted(old_paths):
        new = renamed.get(old, old)
        if new not in plan.tree:
            continue
        if carried_from(new) == old:  # the same bytes, known without reading them
            if old != new:
                sections.append(FileDiff(old, new, _rename_header(old, new, 100)))
            continue
        before = snapshot.stored_bytes(old)
        after = plan.tree[new]
        if old == new and before == after:
            continue
        sections.append(FileDiff(old, new, _section(old, new, before, after)))
    for new in sorted(set(plan.tree) - {renamed.get(p, p) for p in old_paths}):
        sections.append(FileDiff(None, new, _section(None, new, b"", plan.tree[new])))
    return sections


def _section(old: str | None, new: str, before: bytes, after: bytes) -> str:
    head = [f"diff --git a/{old or new} b/{new}\n"]
    if old is None:
        head.append("new file mode 100644\n")
    before_lines, after_lines = _lines(before), _lines(after)
    if old is not None and old != new:
        similarity = 100 if before == after else (
            _similarity(before_lines, after_lines) if before_lines is not None and after_lines is not None else 0)
        head = [_rename_header(old, new, similarity)]
    if before == after:
        return "".join(head)
    if before_lines is None or after_lines is None:
        return "".join(head) + f"Binary files a/{old or new} and b/{new} differ\n"
    body = difflib.unified_diff(before_lines, after_lines,
                                fromfile=f"a/{old}" if old else "/dev/null", tofile=f"b/{new}", n=3)
    out = []
    for line in body:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(head) + "".join(out)


def _rename_header(old: str, new: str, similarity: int) -> str:
    return (f"diff --git a/{old} b/{new}\nsimilarity index {similarity}%\n"
            f"rename from {old}\nrename to {new}\n")


def unified(snapshot, plan) -> str:
    return "".join(section.text for section in file_diffs(snapshot, plan))
