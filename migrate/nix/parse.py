"""Parsing Nix source into a lossless tree, with errors a user can act on.

rnix reports positions as UTF-8 byte offsets while Python slices strings by
code point, so a parsed file keeps both forms of its text and every position
this package hands out is a byte offset into ``NixFile.data``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Optional

import pynix_parser

from migrate.errors import MigrateError


class NixSyntaxError(MigrateError):
    def __init__(self, path: str, line: int, column: int, message: str):
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        super().__init__(f"{path}:{line}:{column}: syntax error: {message}")


class NixDecodeError(MigrateError):
    def __init__(self, path: str, line: int, column: int, hint: str = ""):
        self.path = path
        self.line = line
        self.column = column
        super().__init__(f"{path}:{line}:{column}: file is not valid UTF-8{hint}")


# git-crypt writes this header in front of every file it encrypts; a locked checkout
# holds only ciphertext, which users meet as a "broken" .nix file.
_GIT_CRYPT_HEADER = b"\x00GITCRYPT\x00"


def _undecodable_hint(data: bytes) -> str:
    if data.startswith(_GIT_CRYPT_HEADER):
        return " (it is encrypted with git-crypt: unlock the repository first with `git-crypt unlock`)"
    if b"\x00" in data[:8192]:
        return " (it looks binary: encrypted with git-crypt or another tool? unlock it first)"
    return ""


_RNIX_POSITION = re.compile(r" at (\d+)\.\.(\d+)")
_TOKEN_NAMES = {
    "TOKEN_SEMICOLON": "';'", "TOKEN_R_BRACE": "'}'", "TOKEN_L_BRACE": "'{'",
    "TOKEN_R_BRACK": "']'", "TOKEN_L_BRACK": "'['", "TOKEN_R_PAREN": "')'",
    "TOKEN_L_PAREN": "'('", "TOKEN_ASSIGN": "'='", "TOKEN_COMMA": "','",
    "TOKEN_COLON": "':'", "TOKEN_DOT": "'.'", "TOKEN_IDENT": "identifier",
    "TOKEN_STRING_START": "string", "TOKEN_INTERPOL_END": "'}'",
    "TOKEN_REC": "'rec'", "TOKEN_IN": "'in'", "TOKEN_THEN": "'then'",
    "TOKEN_ELSE": "'else'", "TOKEN_ERROR": "invalid token",
}


def _readable_rnix_message(message: str) -> str:
    return re.sub(r"TOKEN_[A-Z_]+", lambda m: _TOKEN_NAMES.get(m.group(0), m.group(0)[6:].lower()), message)


class LineIndex:
    """Maps byte offsets to 1-based line and column numbers (column counts characters)."""

    def __init__(self, data: bytes):
        self._data = data
        self._starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]

    def line_col(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self._data)))
        line = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        column = len(self._data[start:offset].decode("utf-8", errors="replace")) + 1
        return line + 1, column

    def line_start(self, line: int) -> int:
        return self._starts[line - 1]


@dataclass
class NixFile:
    """One parsed file: its path (as the user knows it), text, bytes and rnix tree."""

    path: str
    text: str
    data: bytes
    root: "pynix_parser.SyntaxNode"
    _lines: Optional[LineIndex] = field(default=None, repr=False)
    # Answers of expensive queries over this tree, keyed by the query, so that they
    # live exactly as long as the parsed file they describe.
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def at(self, path: str) -> "NixFile":
        """The same bytes read at another path: the tree and every answer derived
        from the bytes are shared (the planned tree is analysed again to verify it,
        and most of its files are moved, not changed)."""
        return NixFile(path=path, text=self.text, data=self.data, root=self.root,
                       _lines=self._lines, derived=self.derived)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.data)
        return self._lines

    def line_col(self, offset: int) -> tuple[int, int]:
        return self.lines.line_col(offset)

    def where(self, node) -> str:
        line, col = self.line_col(node.text_range()[0])
        return f"{self.path}:{line}:{col}"

    def slice(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8")

    @property
    def expression(self):
        """The file's top-level expression node (the root's only node child)."""
        return self.root.first_child()


def decode_source(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = LineIndex(data).line_col(err.start)
        raise NixDecodeError(path, line, col, _undecodable_hint(data)) from None


def parse_text(text: str, path: str = "<string>") -> NixFile:
    data = text.encode("utf-8")
    return _parse(text, data, path)


def parse_bytes(data: bytes, path: str) -> NixFile:
    return _parse(decode_source(data, path), data, path)


class NixNestingError(MigrateError):
    def __init__(self, path: str):
        self.path = path
        super().__init__(f"{path}: nested too deeply to parse (lists, '-' or 'or' thousands of levels deep)")


# rnix recurses on the native stack without any limit through nested lists, chains of
# unary minus and chains of `or` defaults (its own limit stops every other construct),
# and running out of stack kills the process outright. Each level takes one of these
# tokens, so their number bounds the depth; a file with more of them than the stack
# surely holds is parsed first in a child process with half our stack, and refused if
# that child dies.
_NESTING_TOKENS = re.compile(rb"\[|(?<![A-Za-z0-9_'])-|\bor\b")
_STACK_PER_LEVEL = 512  # bytes; rnix uses about 180 per list level
_PROBE_SECONDS = 10
_PROBE = (
    "import resource, sys, pynix_parser\n"
    "resource.setrlimit(resource.RLIMIT_STACK, (int(sys.argv[1]), resource.getrlimit(resource.RLIMIT_STACK)[1]))\n"
    "try:\n    pynix_parser.parse(sys.stdin.buffer.read().decode('utf-8'))\nexcept ValueError:\n    pass\n"
)


def _stack_bytes() -> int:
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
    return 64 << 20 if soft == resource.RLIM_INFINITY else soft


def _check_nesting(data: bytes, path: str) -> None:
    half = _stack_bytes() // 2
    levels = half // _STACK_PER_LEVEL
    if data.count(b"[") + data.count(b"-") + data.count(b"or") <= levels:
        return
    if sum(1 for _ in _NESTING_TOKENS.finditer(data)) <= levels:
        return
    import subprocess
    import sys

    try:
        # rnix takes time quadratic in a chain's length before it overflows: 200,000
        # nested `-` cost 37 s here. A file it cannot parse in seconds is refused as well.
        probe = subprocess.run([sys.executable, "-I", "-c", _PROBE, str(half)], input=data,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=_PROBE_SECONDS)
    except subprocess.TimeoutExpired:
        raise NixNestingError(path) from None
    if probe.returncode != 0:
        raise NixNestingError(path)


def _parse(text: str, data: bytes, path: str) -> NixFile:
    _check_nesting(data, path)
    try:
        root = pynix_parser.parse(text)
    except ValueError as err:
        raise _syntax_error(str(err), data, path) from None
    if root.first_child() is None:
        # rnix accepts a file of only comments/whitespace; Nix does not.
        line, col = LineIndex(data).line_col(len(data))
        raise NixSyntaxError(path, line, col, "file contains no expression")
    return NixFile(path=path, text=text, data=data, root=root)


def _syntax_error(message: str, data: bytes, path: str) -> NixSyntaxError:
    first = message.split("; ")[0]
    match = _RNIX_POSITION.search(first)
    offset = int(match.group(1)) if match else len(data)
    first = _RNIX_POSITION.sub("", first)
    line, col = LineIndex(data).line_col(offset)
    return NixSyntaxError(path, line, col, _readable_rnix_message(first))
