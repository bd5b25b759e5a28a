"""POSIX extended regular expressions (what ``builtins.match``/``split``
take) translated to Python ``re`` patterns."""

from __future__ import annotations

import functools
import re

from migrate.analyze.values import EvalError

_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": r" \t\n\r\f\v", "blank": r" \t", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f",
    "cntrl": r"\x00-\x1f\x7f", "print": r"\x20-\x7e", "graph": r"\x21-\x7e", "word": r"\w",
}


@functools.lru_cache(maxsize=512)
def posix_regex(pattern: str) -> re.Pattern:
    try:
        return re.compile(_translate(pattern), re.S)
    except re.error as err:
        raise EvalError(f"invalid regular expression {pattern!r}: {err}") from None


def _translate(pattern: str) -> str:
    out = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]) if not pattern[i + 1].isalnum() else "\\" + pattern[i + 1])
            i += 2
        elif ch == "[":
            i = _bracket(pattern, i, out)
        elif ch == "{" and not re.match(r"\{\d+(,\d*)?\}", pattern[i:]):
            out.append(r"\{")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _bracket(pattern: str, start: int, out: list) -> int:
    """Copy one bracket expression; backslash is literal inside it in POSIX."""
    i = start + 1
    parts = ["["]
    if i < len(pattern) and pattern[i] == "^":
        parts.append("^")
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        parts.append(r"\]")
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        if pattern.startswith("[:", i):
            end = pattern.find(":]", i + 2)
            if end != -1 and pattern[i + 2:end] in _CLASSES:
                parts.append(_CLASSES[pattern[i + 2:end]])
                i = end + 2
                continue
        ch = pattern[i]
        parts.append("\\" + ch if ch in "\\[" else ch)
        i += 1
    if i >= len(pattern):
        raise EvalError(f"unterminated bracket expression in {pattern!r}")
    parts.append("]")
    out.append("".join(parts))
    return i + 1
