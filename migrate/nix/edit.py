"""Byte-exact edits of a parsed Nix file.

A ``ChangeSet`` collects replacements of byte ranges of one ``NixFile``; the
structural operations (remove a binding, insert a list element, add a formal
argument...) only compute which bytes to replace, looking at the layout the
user chose: indentation, tabs, CRLF line ends, one-line sets, leading-comma
argument lists.  Everything outside the replaced ranges is kept byte for byte.
``apply`` performs all replacements at once and re-parses, so a bad edit is
refused instead of written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Union

from pynix_parser import SyntaxNode

from migrate.errors import MigrateError
from migrate.nix.parse import NixFile, NixSyntaxError, parse_text
from migrate.nix.query import Binding, PathLiteral, formals


class EditError(MigrateError):
    """An edit that cannot be made; a bug in the caller rather than in the user's input."""


class OverlappingEditError(EditError):
    pass


class InvalidEditError(EditError):
    """Applying the change set would leave the file unparsable."""

    def __init__(self, message: str, text: str):
        super().__init__(message)
        self.text = text


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    data: bytes
    order: int  # insertions at one offset keep the order they were added in


_CONTAINERS = {
    "NODE_ATTR_SET": ("TOKEN_L_BRACE", "TOKEN_R_BRACE"),
    "NODE_LET_IN": ("TOKEN_LET", "TOKEN_IN"),
    "NODE_LIST": ("TOKEN_L_BRACK", "TOKEN_R_BRACK"),
    "NODE_PATTERN": ("TOKEN_L_BRACE", "TOKEN_R_BRACE"),
}
_BINDING_KINDS = ("NODE_ATTRPATH_VALUE", "NODE_INHERIT")


class ChangeSet:
    def __init__(self, file: NixFile):
        self.file = file
        self.data = file.data
        self.replacements: list[Replacement] = []
        self.newline = "\r\n" if b"\r\n" in file.data else "\n"
        self._indent_unit: Optional[str] = None

    def __len__(self) -> int:
        return len(self.replacements)

    # ------------------------------------------------------------------
    # Raw ranges

    def replace_range(self, start: int, end: int, text: str) -> None:
        if not 0 <= start <= end <= len(self.data):
            raise EditError(f"{self.file.path}: edit range {start}..{end} is outside the file")
        for other in self.replacements:
            if _overlaps(start, end, other.start, other.end):
                raise OverlappingEditError(
                    f"{self.file.path}: edit at {self._where(start, end)} overlaps "
                    f"an earlier edit at {self._where(other.start, other.end)}")
        self.replacements.append(Replacement(start, end, text.encode("utf-8"), len(self.replacements)))

    def insert(self, offset: int, text: str) -> None:
        self.replace_range(offset, offset, text)

    def _where(self, start: int, end: int) -> str:
        line, col = self.file.line_col(start)
        return f"{line}:{col} ({start}..{end})"

    # ------------------------------------------------------------------
    # Expressions and paths

    def replace(self, node: SyntaxNode, text: str) -> None:
        """Replace one node's source; line ends in ``text`` follow the file's style."""
        start, end = node.text_range()
        self.replace_range(start, end, self._lines(text))

    def rewrite_path(self, literal: PathLiteral, text: str) -> None:
        """Replace a path literal (the whole sum for ``concat`` literals) by ``text``."""
        self.replace_range(literal.start, literal.end, text)

    # ------------------------------------------------------------------
    # Removing bindings and list elements

    def remove_binding(self, binding: Union[Binding, SyntaxNode]) -> None:
        node = binding.node if isinstance(binding, Binding) else binding
        if node.kind() not in _BINDING_KINDS:
            raise EditError(f"{self.file.where(node)}: not a binding: {node.kind()}")
        self.replace_range(*self._removal_range(node), "")

    def remove_list_element(self, element: SyntaxNode) -> None:
        parent = element.parent()
        if parent is None or parent.kind() != "NODE_LIST":
            raise EditError(f"{self.file.where(element)}: not a list element")
        self.replace_range(*self._removal_range(element), "")

    def _removal_range(self, node: SyntaxNode) -> tuple[int, int]:
        """What to delete with an item so its line, comments and spacing go with it.

        An item alone on its line takes the whole line, the comment lines
        directly above it and its trailing comment.  An item sharing its line
        takes only itself and the spaces that separated it from a neighbour.
        """
        data = self.data
        start, end = node.text_range()
        line_start = _line_start(data, start)
        starts_line = _is_blank(data[line_start:start])
        after_item, after_comment, line_end = self._trailing(end)
        if starts_line and line_end is not None:
            return self._leading_comment_start(node, line_start), line_end
        if line_end is None:
            # Something follows on the line: take the item and the gap after it.
            return start, _skip_horizontal(data, end)
        # The item ends the line but does not start it: take the gap before it.
        before = start
        while before > 0 and data[before - 1:before] in (b" ", b"\t"):
            before -= 1
        return before, end

    def _trailing(self, end: int) -> tuple[int, int, Optional[int]]:
        """After an item ending at ``end``: (end, end of same-line comment, end of line or None)."""
        data = self.data
        pos = _skip_horizontal(data, end)
        comment_end = end
        if data.startswith(b"#", pos):
            newline = data.find(b"\n", pos)
            pos = comment_end = len(data) if newline < 0 else newline
            if data[pos - 1:pos] == b"\r":
                comment_end = pos - 1
        elif data.startswith(b"/*", pos):
            close = data.find(b"*/", pos) + 2
            if b"\n" not in data[pos:close]:
                pos = comment_end = _skip_horizontal(data, close)
        if data.startswith(b"\r\n", pos):
            return end, comment_end, pos + 2
        if data.startswith(b"\n", pos):
            return end, comment_end, pos + 1
        if pos == len(data):
            return end, comment_end, pos
        return end, comment_end, None

    def _leading_comment_start(self, node: SyntaxNode, line_start: int) -> int:
        """Start of the block of whole-line comments directly above ``node`` (no blank line between)."""
        siblings = node.parent().children_with_tokens()
        index = _index_of(siblings, node)
        start = line_start
        while index >= 2:
            gap, comment = siblings[index - 1], siblings[index - 2]
            if gap.kind() != "TOKEN_WHITESPACE" or gap.text().count("\n") != 1:
                break
            if comment.kind() != "TOKEN_COMMENT":
                break
            comment_start = comment.text_range()[0]
            comment_line = _line_start(self.data, comment_start)
            if not _is_blank(self.data[comment_line:comment_start]):
                break
            start = comment_line
            index -= 2
        return start

    # ------------------------------------------------------------------
    # Inserting bindings and list elements

    def insert_binding(self, container: SyntaxNode, text: str, before: Optional[SyntaxNode] = None) -> None:
        """Insert ``text`` (one binding, e.g. ``a.b = 1;``) into a set or ``let``.

        Appended after the last binding unless ``before`` names an existing one.
        A multi-line ``text`` is re-indented to the set's indentation.
        """
        if container.kind() not in ("NODE_ATTR_SET", "NODE_LET_IN"):
            raise EditError(f"{self.file.where(container)}: cannot insert a binding into {container.kind()}")
        items = [child for child in container.children() if child.kind() in _BINDING_KINDS]
        self._insert_item(container, items, text.strip(), before)

    def insert_list_element(self, list_node: SyntaxNode, text: str, before: Optional[SyntaxNode] = None) -> None:
        """Insert an element (source text) into a list, at the end unless ``before`` is given."""
        if list_node.kind() != "NODE_LIST":
            raise EditError(f"{self.file.where(list_node)}: not a list: {list_node.kind()}")
        self._insert_item(list_node, list_node.children(), text.strip(), before)

    def _insert_item(self, container, items, text, before) -> None:
        data = self.data
        # Items this change set already deletes cannot anchor an insertion.
        items = [item for item in items if not self._deleted(item)]
        open_token, close_token = self._delimiters(container)
        open_end = open_token.text_range()[1]
        close_start = close_token.text_range()[0]
        multi_line = b"\n" in data[open_end:close_start]
        if not multi_line:
            if before is not None:
                self.insert(before.text_range()[0], text + " ")
            elif items:
                self.insert(items[-1].text_range()[1], " " + text)
            else:
                self.replace_range(open_end, close_start, f" {text} ")
            return
        indent = self._item_indent(container, items)
        body = self._reindent(text, indent)
        if before is not None:
            start = before.text_range()[0]
            line_start = _line_start(data, start)
            if _is_blank(data[line_start:start]):
                self.insert(self._leading_comment_start(before, line_start), indent + body + self.newline)
            else:
                self.insert(start, body + " ")
            return
        if items:
            _, after_comment, _ = self._trailing(items[-1].text_range()[1])
            anchor = after_comment
        else:
            anchor = self._last_trivia_before(container, close_start, open_end)
        self.insert(anchor, self.newline + indent + body)

    def _deleted(self, node: SyntaxNode) -> bool:
        start, end = node.text_range()
        return any(r.data == b"" and r.start <= start and end <= r.end for r in self.replacements)

    def _last_trivia_before(self, container, close_start: int, open_end: int) -> int:
        """Where to append in an item-less multi-line container: after any comments in it."""
        anchor = open_end
        for element in container.children_with_tokens():
            start, end = element.text_range()
            if element.kind() == "TOKEN_COMMENT" and open_end <= start and end <= close_start:
                anchor = end
        if self.data[anchor - 1:anchor] == b"\r":
            anchor -= 1
        return anchor

    def _delimiters(self, container):
        open_kind, close_kind = _CONTAINERS[container.kind()]
        open_token = close_token = None
        for element in container.children_with_tokens():
            kind = element.kind()
            if kind == open_kind and open_token is None:
                open_token = element
            elif kind == close_kind:
                close_token = element
        return open_token, close_token

    def _item_indent(self, container, items) -> str:
        for item in reversed(items):
            start = item.text_range()[0]
            prefix = self.data[_line_start(self.data, start):start]
            if _is_blank(prefix):
                return prefix.decode("utf-8")
        start = container.text_range()[0]
        return self._line_indent(start) + self.indent_unit

    def _line_indent(self, offset: int) -> str:
        line_start = _line_start(self.data, offset)
        match = re.match(rb"[ \t]*", self.data[line_start:offset])
        return match.group(0).decode("utf-8")

    @property
    def indent_unit(self) -> str:
        """One level of indentation as the file writes it: a tab, or its smallest space step."""
        if self._indent_unit is None:
            indents = re.findall(rb"^([ \t]+)\S", self.data, flags=re.M)
            if indents and indents[0].startswith(b"\t"):
                self._indent_unit = "\t"
            else:
                spaces = [len(i) for i in indents if i.strip(b" ") == b""]
                self._indent_unit = " " * min(spaces) if spaces and min(spaces) <= 8 else "  "
        return self._indent_unit

    def _reindent(self, text: str, indent: str) -> str:
        """Continuation lines of ``text`` get ``indent`` in front; line ends follow the file.

        Text is written with two-space steps (the emitter's style); in a file
        indented otherwise the steps are converted, except when the text has
        an indented string, whose value depends on its exact leading spaces.
        """
        lines = text.replace("\r\n", "\n").split("\n")
        if self.indent_unit != "  " and "''" not in text:
            lines = [_convert_steps(line, self.indent_unit) for line in lines]
        shifted = [lines[0]] + [indent + line if line.strip() else "" for line in lines[1:]]
        return self.newline.join(shifted)

    def _lines(self, text: str) -> str:
        return text.replace("\r\n", "\n").replace("\n", self.newline)

    # ------------------------------------------------------------------
    # Lambda formals

    def add_formal(self, target: Union[NixFile, SyntaxNode], name: str, default: Optional[str] = None) -> bool:
        """Add ``name`` (``name ? default``) to a ``{ ... }:`` pattern; False if already there."""
        found = formals(target)
        if found is None or not found.is_pattern:
            where = target.path if isinstance(target, NixFile) else self.file.where(target)
            raise EditError(f"{where}: no `{{ ... }}:` argument pattern to add `{name}` to")
        if name in found.names:
            return False
        entry = name if default is None else f"{name} ? {default}"
        items = [element for element in found.pattern.children_with_tokens()
                 if element.kind() in ("NODE_PAT_ENTRY", "TOKEN_ELLIPSIS")]
        open_token, close_token = self._delimiters(found.pattern)
        if not items:
            self.replace_range(open_token.text_range()[1], close_token.text_range()[0], f" {entry} ")
        elif items[-1].kind() == "TOKEN_ELLIPSIS":
            self._add_formal_before(items[-1], entry)
        else:
            self._add_formal_after(found.pattern, items, entry)
        return True

    def _add_formal_before(self, ellipsis, entry: str) -> None:
        data = self.data
        start = ellipsis.text_range()[0]
        line_start = _line_start(data, start)
        prefix = data[line_start:start]
        if _is_blank(prefix):
            # One formal per line, commas trailing: `  name,` above `  ...`.
            self.insert(line_start, prefix.decode("utf-8") + entry + "," + self.newline)
        elif re.fullmatch(rb"[ \t]*,[ \t]*", prefix):
            # Leading-comma style: `, name` on its own line above `, ...`.
            comma_indent = prefix[:prefix.index(b",")].decode("utf-8")
            gap = prefix[prefix.index(b",") + 1:].decode("utf-8") or " "
            self.insert(line_start, f"{comma_indent},{gap}{entry}{self.newline}")
        else:
            self.insert(start, entry + ", ")

    def _add_formal_after(self, pattern, items, entry: str) -> None:
        data = self.data
        last = items[-1]
        last_start, last_end = last.text_range()
        comma = _comma_after(pattern, last)
        multi_line = b"\n" in data[pattern.text_range()[0]:pattern.text_range()[1]]
        line_start = _line_start(data, last_start)
        prefix = data[line_start:last_start]
        if multi_line and re.fullmatch(rb"[ \t]*,[ \t]*", prefix):
            comma_indent = prefix[:prefix.index(b",")].decode("utf-8")
            gap = prefix[prefix.index(b",") + 1:].decode("utf-8") or " "
            self.insert(last_end, f"{self.newline}{comma_indent},{gap}{entry}")
        elif multi_line and _is_blank(prefix):
            indent = prefix.decode("utf-8")
            if comma is not None:
                self.insert(comma.text_range()[1], f"{self.newline}{indent}{entry},")
            else:
                self.insert(last_end, f",{self.newline}{indent}{entry}")
        elif comma is not None:
            self.insert(comma.text_range()[1], f" {entry},")
        else:
            self.insert(last_end, f", {entry}")

    # ------------------------------------------------------------------

    def inside(self, start: int, end: int) -> list[Replacement]:
        """The edits planned within START..END, in the order they apply."""
        return sorted((r for r in self.replacements if start <= r.start and r.end <= end), key=_applied_order)

    def text_between(self, start: int, end: int) -> str:
        """The source from START to END with the edits planned inside it applied."""
        return self._spliced(start, end, self.inside(start, end)).decode("utf-8")

    def _spliced(self, start: int, end: int, ordered: list[Replacement]) -> bytes:
        # Assembling front to back over sorted, disjoint ranges is the same as
        # splicing from the end backwards, without copying the buffer per edit.
        pieces = []
        position = start
        for replacement in ordered:
            pieces.append(self.data[position:replacement.start])
            pieces.append(replacement.data)
            position = replacement.end
        pieces.append(self.data[position:end])
        return b"".join(pieces)

    def apply(self) -> NixFile:
        """The edited file, re-parsed; raises ``InvalidEditError`` if it no longer parses."""
        text = self._spliced(0, len(self.data), sorted(self.replacements, key=_applied_order)).decode("utf-8")
        try:
            return parse_text(text, self.file.path)
        except NixSyntaxError as err:
            raise InvalidEditError(
                f"{self.file.path}: refusing an edit that would make the file unparsable "
                f"(line {err.line}, column {err.column} of the result: {err.message})", text) from None


def _applied_order(replacement: Replacement) -> tuple:
    """At one offset an insertion goes before a replacement; insertions keep the order they were added in."""
    return (replacement.start, replacement.end != replacement.start, replacement.order)


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    if start == end and other_start == other_end:
        return False
    if start == end:
        return other_start < start < other_end
    if other_start == other_end:
        return start < other_start < end
    return start < other_end and other_start < end


def _convert_steps(line: str, unit: str) -> str:
    stripped = line.lstrip(" ")
    steps, odd = divmod(len(line) - len(stripped), 2)
    return unit * steps + " " * odd + stripped


def _line_start(data: bytes, offset: int) -> int:
    return data.rfind(b"\n", 0, offset) + 1


def _is_blank(chunk: bytes) -> bool:
    return chunk.strip(b" \t") == b""


def _skip_horizontal(data: bytes, pos: int) -> int:
    while data[pos:pos + 1] in (b" ", b"\t"):
        pos += 1
    return pos


def _index_of(elements, node) -> int:
    target = node.text_range()
    kind = node.kind()
    for index, element in enumerate(elements):
        if element.text_range() == target and element.kind() == kind:
            return index
    raise EditError(f"node {kind} at {target} is not among its parent's children")


def _comma_after(pattern, item):
    """The comma token directly following ``item`` in the pattern (trivia between allowed)."""
    seen = False
    for element in pattern.children_with_tokens():
        if seen:
            kind = element.kind()
            if kind == "TOKEN_COMMA":
                return element
            if kind not in ("TOKEN_WHITESPACE", "TOKEN_COMMENT"):
                return None
        elif element.text_range() == item.text_range() and element.kind() == item.kind():
            seen = True
    return None
