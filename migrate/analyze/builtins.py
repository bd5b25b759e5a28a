"""``builtins.*`` and the global identifiers every Nix file sees.

A primop gets ``(evaluator, site, *argument_thunks)`` and forces only what it
needs. Helpers ``need_*`` force an argument and check its type; an unknown
or external argument ends the primop early with an ``Unknown`` (``_Bail``),
so implementations read like the Nix documentation of each builtin.

File access goes through the evaluator's snapshot and is recorded in
``evaluator.reads``; nothing here fetches or touches the real filesystem.
"""

from __future__ import annotations

import json
import math
import posixpath
import tomllib
from typing import Callable, Optional

from migrate.analyze import operations
from migrate.analyze.operations import MISSING, coerce_to_string, equal, less_than
from migrate.analyze.regex import posix_regex
from migrate.analyze.scope import Env
from migrate.analyze.values import (
    AttrSet, Builtin, Conditional, EvalError, External, ExternalCall, Lambda, LazyCall,
    NixList, NixPath, PathString, PkgsInstance, SystemCall, Thunk, Unknown, force,
    type_name, unwrap,
)

_SYMBOLIC = (Unknown, External, ExternalCall, PkgsInstance, SystemCall)


class _Bail(Exception):
    """Ends a primop early with ``value`` (an Unknown) as its result."""

    def __init__(self, value):
        self.value = value


def make_primop(name: str, arity: int, fn: Callable) -> Builtin:
    def impl(evaluator, site, *args):
        try:
            return fn(evaluator, site, *args)
        except _Bail as bail:
            return bail.value
    return Builtin(name, arity, impl)


def registry(table: dict, prefix: str = ""):
    """Decorator factory: ``@primop("name", arity)`` registers into ``table``."""
    def primop(name: str, arity: int):
        def register(fn):
            table[name] = make_primop(prefix + name, arity, fn)
            return fn
        return register
    return primop


PRIMOPS: dict[str, Builtin] = {}
primop = registry(PRIMOPS, "builtins.")


def where_of(site) -> Optional[str]:
    return site.where() if site is not None else None


def bail_if_symbolic(value, what: str, site=None):
    if isinstance(value, Unknown):
        raise _Bail(value.plain())
    if isinstance(value, _SYMBOLIC):
        raise _Bail(Unknown(f"{what}: argument comes from outside the repository", where_of(site)))


def need(thunk, what: str, site=None):
    """The forced, unwrapped argument; bails on symbolic values."""
    value = unwrap(force(thunk))
    bail_if_symbolic(value, what, site)
    return value


def need_list(thunk, what: str, site=None) -> NixList:
    value = need(thunk, what, site)
    if not isinstance(value, NixList):
        raise EvalError(f"{what}: value is {type_name(value)} while a list was expected", where_of(site))
    return value


def need_set(thunk, what: str, site=None) -> AttrSet:
    value = need(thunk, what, site)
    if not isinstance(value, AttrSet):
        raise EvalError(f"{what}: value is {type_name(value)} while a set was expected", where_of(site))
    return value


def need_string(thunk, what: str, site=None) -> str:
    value = need(thunk, what, site)
    if not isinstance(value, str):
        raise EvalError(f"{what}: value is {type_name(value)} while a string was expected", where_of(site))
    return value


def need_text(evaluator, thunk, what: str, site=None) -> str:
    """A string argument coerced the way Nix coerces (paths, outPath sets)."""
    text = coerce_to_string(evaluator, need(thunk, what, site), site=site)
    bail_if_symbolic(text, what, site)
    return text


def need_int(thunk, what: str, site=None) -> int:
    value = need(thunk, what, site)
    if not isinstance(value, int) or isinstance(value, bool):
        raise EvalError(f"{what}: value is {type_name(value)} while an integer was expected", where_of(site))
    return value


def need_bool(thunk, what: str, site=None) -> bool:
    value = need(thunk, what, site)
    if value is not True and value is not False:
        raise EvalError(f"{what}: value is {type_name(value)} while a Boolean was expected", where_of(site))
    return value


def apply(evaluator, fn, *args, site=None):
    """Call a Nix function value with argument values or thunks."""
    result = force(fn)
    for arg in args:
        result = operations.call(evaluator, result, arg if isinstance(arg, Thunk) else Thunk.ready(arg), site)
    return result


def lazy_apply(evaluator, fn, *args, site=None) -> Thunk:
    return LazyCall(lambda: apply(evaluator, fn, *args, site=site), origin=site)


def is_function(value) -> bool:
    return isinstance(value, (Lambda, Builtin)) or (isinstance(value, AttrSet) and "__functor" in value.attrs)


def from_python(data) -> Thunk:
    """JSON/TOML data as a (ready) Nix value."""
    if isinstance(data, dict):
        return Thunk.ready(AttrSet({str(k): from_python(v) for k, v in data.items()}))
    if isinstance(data, list):
        return Thunk.ready(NixList([from_python(v) for v in data]))
    if data is None or isinstance(data, (bool, int, float, str)):
        return Thunk.ready(data)
    return Thunk.ready(Unknown(f"{type(data).__name__} value is not modelled"))


def reader_path(site) -> Optional[str]:
    return site.src.path if site is not None and hasattr(site, "src") else None


def repo_path_arg(evaluator, thunk, what: str, site) -> str:
    """A path argument as a repo path; bails on anything outside the repository."""
    value = need(thunk, what, site)
    if isinstance(value, PathString):
        value = operations.path_string_to_path(value) or value
    if isinstance(value, NixPath):
        return value.path
    if isinstance(value, str):
        raise _Bail(Unknown(f"{what}: {value!r} is outside the repository", where_of(site)))
    raise EvalError(f"{what}: value is {type_name(value)} while a path was expected", where_of(site))


# -- files -------------------------------------------------------------------------

@primop("import", 1)
def _import(evaluator, site, target):
    value = unwrap(force(target))
    return evaluator.import_value(value, getattr(site, "src", None), site)


@primop("pathExists", 1)
def _path_exists(evaluator, site, path):
    value = unwrap(force(path))
    if isinstance(value, External):
        return Unknown(f"whether {value.name} exists (outside the repository)", where_of(site))
    repo_path = repo_path_arg(evaluator, Thunk.ready(value), "pathExists", site)
    evaluator.record_read(reader_path(site), repo_path, "pathExists")
    return evaluator.snapshot.exists(repo_path)


@primop("readFile", 1)
def _read_file(evaluator, site, path):
    repo_path = repo_path_arg(evaluator, path, "readFile", site)
    evaluator.record_read(reader_path(site), repo_path, "readFile")
    if not evaluator.snapshot.is_file(repo_path):
        raise EvalError(f"readFile: {repo_path} does not exist in the repository", where_of(site))
    try:
        return evaluator.snapshot.read_bytes(repo_path).decode("utf-8")
    except UnicodeDecodeError:
        return Unknown(f"readFile: {repo_path} is not text", where_of(site))
    except Exception as err:  # a symlink out of the repository
        evaluator.warn(where_of(site), f"readFile: {err}")
        return Unknown(f"readFile: {err}", where_of(site))


@primop("readDir", 1)
def _read_dir(evaluator, site, path):
    repo_path = repo_path_arg(evaluator, path, "readDir", site)
    evaluator.record_read(reader_path(site), repo_path, "readDir")
    if not evaluator.snapshot.is_dir(repo_path):
        raise EvalError(f"readDir: {repo_path or '.'} is not a directory in the repository", where_of(site))
    entries = evaluator.snapshot.listdir(repo_path)
    return AttrSet({name: Thunk.ready(kind) for name, kind in sorted(entries.items())})


@primop("baseNameOf", 1)
def _base_name_of(evaluator, site, path):
    value = unwrap(force(path))
    if isinstance(value, NixPath):
        return posixpath.basename(value.path) if value.path else ""
    text = need_text(evaluator, Thunk.ready(value), "baseNameOf", site)
    return posixpath.basename(text.rstrip("/")) if text.rstrip("/") else ""


@primop("dirOf", 1)
def _dir_of(evaluator, site, path):
    value = unwrap(force(path))
    if isinstance(value, NixPath):
        return NixPath(posixpath.dirname(value.path))
    if isinstance(value, External) and value.is_subpath:
        head, _, _ = value.name.rpartition("/")
        return External(head, value.text, value.where)
    text = need_text(evaluator, Thunk.ready(value), "dirOf", site)
    head = text.rpartition("/")[0] if "/" in text else "."
    return head or "/"


@primop("toPath", 1)
def _to_path(evaluator, site, value):
    return need_text(evaluator, value, "toPath", site)


@primop("path", 1)
def _path(evaluator, site, args):
    return force(need_set(args, "builtins.path", site).attrs.get("path") or Thunk.ready(
        Unknown("builtins.path without path", where_of(site))))


@primop("filterSource", 2)
def _filter_source(evaluator, site, predicate, path):
    return force(path)


def _fetcher(name):
    def fetch(evaluator, site, args):
        value = unwrap(force(args))
        label = value if isinstance(value, str) else None
        if isinstance(value, AttrSet) and isinstance(value.get("url"), str):
            label = value.get("url")
        return External(f"{name}({label})" if label else name, site.source_text() if site else None,
                        where_of(site))
    return fetch


for _name in ("fetchTarball", "fetchGit", "fetchurl", "fetchTree", "fetchMercurial", "getFlake"):
    PRIMOPS[_name] = make_primop(f"builtins.{_name}", 1, _fetcher(_name))


# -- attribute sets ---------------------------------------------------------------------

@primop("attrNames", 1)
def _attr_names(evaluator, site, attrs):
    return NixList([Thunk.ready(n) for n in sorted(need_set(attrs, "attrNames", site).attrs)])


@primop("attrValues", 1)
def _attr_values(evaluator, site, attrs):
    values = need_set(attrs, "attrValues", site).attrs
    return NixList([values[n] for n in sorted(values)])


@primop("hasAttr", 2)
def _has_attr(evaluator, site, name, attrs):
    return need_string(name, "hasAttr", site) in need_set(attrs, "hasAttr", site).attrs


@primop("getAttr", 2)
def _get_attr(evaluator, site, name, attrs):
    return operations.select(need(attrs, "getAttr", site), need_string(name, "getAttr", site))


@primop("mapAttrs", 2)
def _map_attrs(evaluator, site, fn, attrs):
    values = need_set(attrs, "mapAttrs", site).attrs
    return AttrSet({n: lazy_apply(evaluator, fn, n, t, site=site) for n, t in values.items()})


@primop("listToAttrs", 1)
def _list_to_attrs(evaluator, site, items):
    result: dict = {}
    for item in need_list(items, "listToAttrs", site).items:
        entry = need_set(item, "listToAttrs", site)
        name = need_string(entry.attrs.get("name") or Thunk.ready(None), "listToAttrs name", site)
        if name not in result and "value" in entry.attrs:
            result[name] = entry.attrs["value"]
    return AttrSet(result)


@primop("removeAttrs", 2)
def _remove_attrs(evaluator, site, attrs, names):
    removed = {need_string(n, "removeAttrs", site) for n in need_list(names, "removeAttrs", site).items}
    values = need_set(attrs, "removeAttrs", site).attrs
    return AttrSet({n: t for n, t in values.items() if n not in removed})


@primop("intersectAttrs", 2)
def _intersect_attrs(evaluator, site, left, right):
    keep = need_set(left, "intersectAttrs", site).attrs
    return AttrSet({n: t for n, t in need_set(right, "intersectAttrs", site).attrs.items() if n in keep})


@primop("catAttrs", 2)
def _cat_attrs(evaluator, site, name, items):
    key = need_string(name, "catAttrs", site)
    found = []
    for item in need_list(items, "catAttrs", site).items:
        thunk = need_set(item, "catAttrs", site).attrs.get(key)
        if thunk is not None:
            found.append(thunk)
    return NixList(found)


@primop("functionArgs", 1)
def _function_args(evaluator, site, fn):
    value = need(fn, "functionArgs", site)
    if isinstance(value, Lambda):
        if value.formals is None:
            return AttrSet({})
        return AttrSet({n: Thunk.ready(d is not None) for n, d in value.formals.items()})
    if isinstance(value, Builtin):
        return AttrSet({})
    raise EvalError(f"functionArgs: value is {type_name(value)} while a function was expected", where_of(site))


@primop("zipAttrsWith", 2)
def _zip_attrs_with(evaluator, site, fn, sets):
    collected: dict[str, list] = {}
    for item in need_list(sets, "zipAttrsWith", site).items:
        for n, t in need_set(item, "zipAttrsWith", site).attrs.items():
            collected.setdefault(n, []).append(t)
    return AttrSet({n: lazy_apply(evaluator, fn, n, NixList(ts), site=site) for n, ts in collected.items()})


@primop("groupBy", 2)
def _group_by(evaluator, site, fn, items):
    groups: dict[str, list] = {}
    for item in need_list(items, "groupBy", site).items:
        key = need_string(Thunk.ready(apply(evaluator, fn, item, site=site)), "groupBy", site)
        groups.setdefault(key, []).append(item)
    return AttrSet({k: Thunk.ready(NixList(v)) for k, v in groups.items()})


# -- lists -------------------------------------------------------------------------------

def map_items(evaluator, fn, items: list, site) -> list:
    """``map`` keeping ``Conditional`` elements conditional."""
    mapped = []
    for item in items:
        if item.is_forced and isinstance(item.value, Conditional):
            cond = item.value
            mapped.append(Thunk.ready(Conditional(cond.condition, cond.where,
                                                  lazy_apply(evaluator, fn, cond.value_thunk, site=site))))
        else:
            mapped.append(lazy_apply(evaluator, fn, item, site=site))
    return mapped


@primop("map", 2)
def _map(evaluator, site, fn, items):
    return NixList(map_items(evaluator, fn, need_list(items, "map", site).items, site))


def filter_items(evaluator, fn, items: list, site) -> list:
    kept = []
    for item in items:
        value = force(item)
        subject = value.value_thunk if isinstance(value, Conditional) else item
        verdict = operations.as_bool(apply(evaluator, fn, subject, site=site), "filter predicate")
        if isinstance(verdict, Unknown):
            kept.append(Thunk.ready(Conditional(f"({site.source_text() if site else 'filter'})",
                                                where_of(site), item)))
        elif verdict:
            kept.append(item)
    return kept


@primop("filter", 2)
def _filter(evaluator, site, fn, items):
    return NixList(filter_items(evaluator, fn, need_list(items, "filter", site).items, site))


@primop("elem", 2)
def _elem(evaluator, site, needle, items):
    unknown = None
    for item in need_list(items, "elem", site).items:
        same = equal(needle, item)
        if same is True:
            return True
        if isinstance(same, Unknown) and unknown is None:
            unknown = same
    return unknown if unknown is not None else False


@primop("elemAt", 2)
def _elem_at(evaluator, site, items, index):
    values = need_list(items, "elemAt", site).items
    position = need_int(index, "elemAt", site)
    if not 0 <= position < len(values):
        raise EvalError(f"list index {position} is out of bounds", where_of(site))
    return force(values[position])


@primop("head", 1)
def _head(evaluator, site, items):
    values = need_list(items, "head", site).items
    if not values:
        raise EvalError("'builtins.head' called on an empty list", where_of(site))
    return force(values[0])


@primop("tail", 1)
def _tail(evaluator, site, items):
    values = need_list(items, "tail", site).items
    if not values:
        raise EvalError("'builtins.tail' called on an empty list", where_of(site))
    return NixList(values[1:])


@primop("length", 1)
def _length(evaluator, site, items):
    return len(need_list(items, "length", site).items)


@primop("concatLists", 1)
def _concat_lists(evaluator, site, lists):
    result = []
    for sub in need_list(lists, "concatLists", site).items:
        result.extend(need_list(sub, "concatLists", site).items)
    return NixList(result)


@primop("concatMap", 2)
def _concat_map(evaluator, site, fn, items):
    result = []
    for item in need_list(items, "concatMap", site).items:
        result.extend(need_list(Thunk.ready(apply(evaluator, fn, item, site=site)), "concatMap", site).items)
    return NixList(result)


@primop("foldl'", 3)
def _foldl(evaluator, site, fn, initial, items):
    accumulator = force(initial)
    for item in need_list(items, "foldl'", site).items:
        accumulator = apply(evaluator, fn, accumulator, item, site=site)
    return accumulator


@primop("genList", 2)
def _gen_list(evaluator, site, fn, count):
    return NixList([lazy_apply(evaluator, fn, i, site=site) for i in range(need_int(count, "genList", site))])


@primop("all", 2)
def _all(evaluator, site, fn, items):
    return _quantify(evaluator, site, fn, items, False)


@primop("any", 2)
def _any(evaluator, site, fn, items):
    return _quantify(evaluator, site, fn, items, True)


def _quantify(evaluator, site, fn, items, decisive: bool):
    unknown = None
    for item in need_list(items, "any/all", site).items:
        verdict = operations.as_bool(apply(evaluator, fn, item, site=site))
        if verdict is decisive:
            return decisive
        if isinstance(verdict, Unknown) and unknown is None:
            unknown = verdict
    return unknown.plain() if unknown is not None else not decisive


@primop("sort", 2)
def _sort(evaluator, site, fn, items):
    import functools

    def compare(a, b):
        before = operations.as_bool(apply(evaluator, fn, a, b, site=site))
        if isinstance(before, Unknown):
            raise _Bail(before.plain())
        if before:
            return -1
        after = operations.as_bool(apply(evaluator, fn, b, a, site=site))
        return 1 if after is True else 0

    return NixList(sorted(need_list(items, "sort", site).items, key=functools.cmp_to_key(compare)))


@primop("partition", 2)
def _partition(evaluator, site, fn, items):
    right, wrong = [], []
    for item in need_list(items, "partition", site).items:
        verdict = operations.as_bool(apply(evaluator, fn, item, site=site))
        if isinstance(verdict, Unknown):
            raise _Bail(verdict.plain())
        (right if verdict else wrong).append(item)
    return AttrSet({"right": Thunk.ready(NixList(right)), "wrong": Thunk.ready(NixList(wrong))})


@primop("genericClosure", 1)
def _generic_closure(evaluator, site, args):
    return Unknown("builtins.genericClosure is not modelled", where_of(site))


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
    import hashlib
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


# -- types, control, misc ------------------------------------------------------------------------

def _type_check(predicate):
    def check(evaluator, site, value):
        forced = need(value, "type check", site)
        return predicate(forced)
    return check


for _name, _predicate in {
    "isString": lambda v: isinstance(v, str),
    "isAttrs": lambda v: isinstance(v, AttrSet),
    "isList": lambda v: isinstance(v, NixList),
    "isFunction": is_function,
    "isBool": lambda v: v is True or v is False,
    "isInt": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "isFloat": lambda v: isinstance(v, float),
    "isPath": lambda v: isinstance(v, NixPath),
    "isNull": lambda v: v is None,
}.items():
    PRIMOPS[_name] = make_primop(f"builtins.{_name}", 1, _type_check(_predicate))


@primop("typeOf", 1)
def _type_of(evaluator, site, value):
    return type_name(need(value, "typeOf", site))


@primop("throw", 1)
def _throw(evaluator, site, message):
    text = force(message)
    raise EvalError(f"throw: {text if isinstance(text, str) else '...'}", where_of(site), thrown=True)


@primop("abort", 1)
def _abort(evaluator, site, message):
    text = force(message)
    raise EvalError(f"abort: {text if isinstance(text, str) else '...'}", where_of(site))


@primop("seq", 2)
def _seq(evaluator, site, first, second):
    need(first, "seq", site)
    return force(second)


@primop("deepSeq", 2)
def _deep_seq(evaluator, site, first, second):
    evaluator.force_deep(first, 64)
    return force(second)


@primop("trace", 2)
def _trace(evaluator, site, message, value):
    return force(value)


@primop("tryEval", 1)
def _try_eval(evaluator, site, expression):
    value = force(expression)
    if isinstance(value, Unknown):
        if value.thrown:
            return AttrSet({"success": Thunk.ready(False), "value": Thunk.ready(False)})
        return value.plain()
    return AttrSet({"success": Thunk.ready(True), "value": Thunk.ready(value)})


@primop("add", 2)
def _add(evaluator, site, left, right):
    return operations.add(evaluator, force(left), force(right), site)


for _name, _operator in (("sub", "-"), ("mul", "*"), ("div", "/")):
    PRIMOPS[_name] = make_primop(
        f"builtins.{_name}", 2,
        (lambda op: lambda evaluator, site, a, b: operations.arithmetic(op, force(a), force(b)))(_operator))


@primop("lessThan", 2)
def _less_than(evaluator, site, left, right):
    return less_than(left, right)


@primop("ceil", 1)
def _ceil(evaluator, site, value):
    return math.ceil(need(value, "ceil", site))


@primop("floor", 1)
def _floor(evaluator, site, value):
    return math.floor(need(value, "floor", site))


for _name, _fn in (("bitAnd", lambda a, b: a & b), ("bitOr", lambda a, b: a | b), ("bitXor", lambda a, b: a ^ b)):
    PRIMOPS[_name] = make_primop(
        f"builtins.{_name}", 2,
        (lambda f, n: lambda ev, site, a, b: f(need_int(a, n, site), need_int(b, n, site)))(_fn, _name))


def _unknown_primop(name: str, arity: int, reason: str):
    PRIMOPS[name] = make_primop(f"builtins.{name}", arity,
                                lambda evaluator, site, *args: Unknown(f"builtins.{name}: {reason}", where_of(site)))


_unknown_primop("derivation", 1, "derivations are not built by the analysis")
_unknown_primop("getEnv", 1, "the environment is not read by the analysis")
_unknown_primop("toFile", 2, "store files are not written by the analysis")
_unknown_primop("storePath", 1, "store paths are not read by the analysis")
_unknown_primop("placeholder", 1, "output placeholders are not modelled")
_unknown_primop("scopedImport", 2, "scopedImport is not modelled")
_unknown_primop("parseDrvName", 1, "not modelled")


_CONSTANTS = {
    "true": True,
    "false": False,
    "null": None,
    "nixVersion": "2.8.0",
    "langVersion": 6,
    "storeDir": "/nix/store",
}


def _symbolic_constants() -> dict:
    return {
        "currentSystem": Unknown("builtins.currentSystem depends on the machine running the evaluation"),
        "currentTime": Unknown("builtins.currentTime is not modelled"),
    }


# Identifiers every file can use without ``builtins.``.
_GLOBAL_NAMES = (
    "abort", "baseNameOf", "derivation", "dirOf", "fetchGit", "fetchMercurial", "fetchTarball",
    "fetchTree", "fromTOML", "import", "isNull", "map", "placeholder", "removeAttrs", "scopedImport",
    "throw", "toString",
)

_GLOBAL_ENV: Optional[Env] = None


def builtins_set() -> AttrSet:
    attrs = {name: Thunk.ready(op) for name, op in PRIMOPS.items()}
    attrs.update({name: Thunk.ready(value) for name, value in _CONSTANTS.items()})
    attrs.update({name: Thunk.ready(value) for name, value in _symbolic_constants().items()})
    builtins = AttrSet(attrs)
    attrs["builtins"] = Thunk.ready(builtins)
    return builtins


def global_env() -> Env:
    """The outermost scope: ``builtins``, the global primops, ``__name``
    aliases and ``true``/``false``/``null``. Shared, never mutated."""
    global _GLOBAL_ENV
    if _GLOBAL_ENV is None:
        builtins = builtins_set()
        names = {"builtins": Thunk.ready(builtins)}
        for name in _GLOBAL_NAMES:
            names[name] = builtins.attrs[name]
        for name in ("true", "false", "null"):
            names[name] = builtins.attrs[name]
        for name, thunk in builtins.attrs.items():
            names.setdefault("__" + name, thunk)
        _GLOBAL_ENV = Env(names, None)
    return _GLOBAL_ENV
