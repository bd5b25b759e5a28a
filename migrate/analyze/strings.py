"""Decoding string literal text the way the Nix lexer and parser do.

rnix hands back string content raw (escapes and indentation untouched), so
the evaluator reproduces Nix's rules here: backslash escapes in "..." strings,
and for ''...'' strings the escapes ``''$``, ``'''`` and ``''\\x`` followed by
Nix's indentation stripping (``stripIndentation`` in Nix's parser), which runs
on the already unescaped text: an escaped newline starts a new line there too.
"""

from __future__ import annotations

import re

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}
_PLAIN_ESCAPE = re.compile(r"\\(.)", re.S)
_INDENTED_ESCAPE = re.compile(r"''(\$|'|\\(.))", re.S)
_FIRST_BLANK_LINE = re.compile(r" *\n")


def decode_plain(raw: str) -> str:
    """Unescape the content of a "..." string."""
    if "\\" not in raw:
        return raw
    return _PLAIN_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)


class _Escape(str):
    """Text from a ''-escape: Nix's indentation pass treats it like an
    interpolation when measuring, but like text when stripping."""


def _split_indented(raw: str) -> list:
    """Raw ''-string text as plain text runs and decoded ``_Escape`` pieces."""
    if "''" not in raw:
        return [raw]
    pieces: list = []
    position = 0
    for match in _INDENTED_ESCAPE.finditer(raw):
        if match.start() > position:
            pieces.append(raw[position:match.start()])
        if match.group(1) == "$":
            pieces.append(_Escape("$"))
        elif match.group(1) == "'":
            pieces.append(_Escape("''"))
        else:
            pieces.append(_Escape(_ESCAPES.get(match.group(2), match.group(2))))
        position = match.end()
    if position < len(raw):
        pieces.append(raw[position:])
    return pieces


def indented_parts(parts: list) -> list:
    """Apply ''-string unescaping and indentation stripping.

    ``parts`` alternates raw text (``str``) and interpolation placeholders
    (any non-``str`` object, passed through). Returns the parts with text
    decoded; empty text parts are dropped.
    """
    if parts and isinstance(parts[0], str):
        # The lexer swallows the rest of the opening line when it is blank.
        first = _FIRST_BLANK_LINE.match(parts[0])
        if first:
            parts = [parts[0][first.end():]] + parts[1:]
    split: list = []
    for part in parts:
        split.extend(_split_indented(part) if isinstance(part, str) else [part])
    parts = split

    min_indent = 1 << 30
    indent = 0
    at_line_start = True
    for part in parts:
        if not isinstance(part, str) or isinstance(part, _Escape):
            if at_line_start:
                at_line_start = False
                min_indent = min(min_indent, indent)
            continue
        for ch in part:
            if at_line_start:
                if ch == " ":
                    indent += 1
                elif ch == "\n":
                    indent = 0
                else:
                    at_line_start = False
                    min_indent = min(min_indent, indent)
            elif ch == "\n":
                at_line_start = True
                indent = 0

    result = []
    at_line_start = True
    dropped = 0
    last = len(parts) - 1
    for index, part in enumerate(parts):
        if not isinstance(part, str):
            at_line_start = False
            dropped = 0
            result.append(part)
            continue
        out = []
        for ch in part:
            if at_line_start:
                if ch == " ":
                    if dropped >= min_indent:
                        out.append(ch)
                    dropped += 1
                elif ch == "\n":
                    dropped = 0
                    out.append(ch)
                else:
                    at_line_start = False
                    dropped = 0
                    out.append(ch)
            else:
                out.append(ch)
                if ch == "\n":
                    at_line_start = True
        text = "".join(out)
        if index == last:
            # A closing line of only spaces is not part of the string.
            newline = text.rfind("\n")
            if newline != -1 and not text[newline + 1:].strip(" "):
                text = text[:newline + 1]
        if text:
            result.append(text)
    return _merge_text(result)


def _merge_text(parts: list) -> list:
    merged: list = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + part
        else:
            merged.append(str(part) if isinstance(part, str) else part)
    return merged
