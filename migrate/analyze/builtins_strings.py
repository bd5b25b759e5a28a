"""``builtins.*`` on strings, regular expressions, versions, JSON and TOML."""

from __future__ import annotations

import hashlib
import json
import tomllib

from migrate.analyze.operations import coerce_to_string
from migrate.analyze.primops import (
    from_python, need, need_int, need_list, need_string, need_text, primop, where_of,
)
from migrate.analyze.regex import posix_regex
from migrate.analyze.values import (
    AttrSet, EvalError, NixList, NixPath, Thunk, force, type_name, unwrap,
)


# -- strings ----------------------------------------------------------------------------------

@primop("toString", 1)
def _to_string(evaluator, site, value):
    text = coerce_to_string(evaluator, unwrap(force(value)), extended=True, site=site)
    return text


@primop("stringLength", 1)
def _string_length(evaluator, site, text):
    return len(need_text(evaluator, text, "stringLength", site).encode("utf-8"))


@primop("substring", 3)
def _substring(evaluator, site, start, length, text):
    begin = need_int(start, "substring", site)
    size = need_int(length, "substring", site)
    data = need_text(evaluator, text, "substring", site).encode("utf-8")
    if begin < 0:
        raise EvalError("negative start position in 'substring'", where_of(site))
    end = len(data) if size < 0 else begin + size
    return data[begin:end].decode("utf-8", errors="replace")


@primop("concatStringsSep", 2)
def _concat_strings_sep(evaluator, site, separator, items):
    sep = need_text(evaluator, separator, "concatStringsSep", site)
    texts = [need_text(evaluator, item, "concatStringsSep", site)
             for item in need_list(items, "concatStringsSep", site).items]
    return sep.join(texts)


@primop("replaceStrings", 3)
def _replace_strings(evaluator, site, sources, targets, text):
    froms = [need_string(s, "replaceStrings", site) for s in need_list(sources, "replaceStrings", site).items]
    tos = need_list(targets, "replaceStrings", site).items
    if len(froms) != len(tos):
        raise EvalError("'from' and 'to' arguments of 'replaceStrings' have different lengths", where_of(site))
    subject = need_string(text, "replaceStrings", site)
    return replace_strings(froms, [need_string(t, "replaceStrings", site) for t in tos], subject)


def replace_strings(froms: list[str], tos: list[str], subject: str) -> str:
    """Nix's left-to-right, first-match-wins replacement (an empty pattern
    matches between every character)."""
    out = []
    position = 0
    while position <= len(subject):
        for pattern, replacement in zip(froms, tos):
            if subject.startswith(pattern, position):
                out.append(replacement)
                if pattern:
                    position += len(pattern)
                else:
                    if position < len(subject):
                        out.append(subject[position])
                    position += 1
                break
        else:
            if position < len(subject):
                out.append(subject[position])
            position += 1
    return "".join(out)


@primop("match", 2)
def _match(evaluator, site, pattern, text):
    regex = posix_regex(need_string(pattern, "match", site))
    found = regex.fullmatch(need_string(text, "match", site))
    if found is None:
        return None
    return NixList([Thunk.ready(g) for g in found.groups()])


@primop("split", 2)
def _split(evaluator, site, pattern, text):
    regex = posix_regex(need_string(pattern, "split", site))
    subject = need_string(text, "split", site)
    parts: list = []
    position = 0
    for found in regex.finditer(subject):
        parts.append(Thunk.ready(subject[position:found.start()]))
        parts.append(Thunk.ready(NixList([Thunk.ready(g) for g in found.groups()])))
        position = found.end()
    parts.append(Thunk.ready(subject[position:]))
    return NixList(parts)


@primop("splitVersion", 1)
def _split_version(evaluator, site, version):
    return NixList([Thunk.ready(p) for p in split_version(need_string(version, "splitVersion", site))])


def split_version(version: str) -> list[str]:
    parts, current = [], ""
    for ch in version:
        if ch in ".-":
            if current:
                parts.append(current)
            current = ""
        elif current and (current[-1].isdigit() != ch.isdigit()):
            parts.append(current)
            current = ch
        else:
            current += ch
    if current:
        parts.append(current)
    return parts


@primop("compareVersions", 2)
def _compare_versions(evaluator, site, left, right):
    return compare_versions(need_string(left, "compareVersions", site), need_string(right, "compareVersions", site))


def compare_versions(left: str, right: str) -> int:
    def key(part: str):
        if part.isdigit():
            return (2, int(part), "")
        if part == "pre":
            return (-1, 0, "")
        return (1, 0, part) if part else (0, 0, "")

    a, b = split_version(left), split_version(right)
    for index in range(max(len(a), len(b))):
        x = key(a[index]) if index < len(a) else (0, 0, "")
        y = key(b[index]) if index < len(b) else (0, 0, "")
        if x != y:
            return -1 if x < y else 1
    return 0


@primop("unsafeDiscardStringContext", 1)
def _discard_context(evaluator, site, text):
    return str(need_string(text, "unsafeDiscardStringContext", site))


@primop("hashString", 2)
def _hash_string(evaluator, site, algorithm, text):
    name = need_string(algorithm, "hashString", site)
    if name not in ("md5", "sha1", "sha256", "sha512"):
        raise EvalError(f"unknown hash algorithm '{name}'", where_of(site))
    return hashlib.new(name, need_string(text, "hashString", site).encode("utf-8")).hexdigest()


# -- conversions --------------------------------------------------------------------------------

@primop("fromJSON", 1)
def _from_json(evaluator, site, text):
    try:
        return force(from_python(json.loads(need_string(text, "fromJSON", site))))
    except ValueError as err:
        raise EvalError(f"fromJSON: {err}", where_of(site)) from None


@primop("fromTOML", 1)
def _from_toml(evaluator, site, text):
    try:
        return force(from_python(tomllib.loads(need_string(text, "fromTOML", site))))
    except tomllib.TOMLDecodeError as err:
        raise EvalError(f"fromTOML: {err}", where_of(site)) from None


@primop("toJSON", 1)
def _to_json(evaluator, site, value):
    return json.dumps(_json_data(evaluator, value, site), separators=(",", ":"), ensure_ascii=False)


def _json_data(evaluator, thunk, site):
    value = need(thunk, "toJSON", site)
    if value is None or isinstance(value, (bool, int, str)):
        return str(value) if isinstance(value, str) else value
    if isinstance(value, float):
        return value
    if isinstance(value, NixPath):
        return str(value.to_string())
    if isinstance(value, NixList):
        return [_json_data(evaluator, item, site) for item in value.items]
    if isinstance(value, AttrSet):
        if "__toString" in value.attrs or "outPath" in value.attrs:
            return str(need_text(evaluator, Thunk.ready(value), "toJSON", site))
        return {n: _json_data(evaluator, value.attrs[n], site) for n in sorted(value.attrs)}
    raise EvalError(f"cannot convert {type_name(value)} to JSON", where_of(site))
