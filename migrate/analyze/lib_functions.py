"""The plain data functions of the ``lib`` model: attribute sets, lists,
strings and combinators, registered into ``FUNCTIONS`` (``lib_model`` adds
the conditional, module-system and file functions and builds ``LIB``)."""

from __future__ import annotations

from migrate.analyze import operations
from migrate.analyze.builtins import PRIMOPS
from migrate.analyze.builtins_collections import map_items
from migrate.analyze.builtins_strings import compare_versions
from migrate.analyze.operations import as_bool, equal
from migrate.analyze.primops import (
    _Bail, apply, lazy_apply, need, need_int, need_list, need_set, need_string, need_text, registry,
    where_of,
)
from migrate.analyze.values import (
    AttrSet, Builtin, Conditional, EvalError, LazyCall, NixList, Thunk, Unknown, force, unwrap,
)


FUNCTIONS: dict = {}
function = registry(FUNCTIONS, "lib.")

# Functions that are exactly the builtin of the same name.
for _name in ("attrNames", "attrValues", "listToAttrs", "mapAttrs", "foldl'", "elem", "elemAt", "head",
              "tail", "length", "concatStringsSep", "concatMap", "concatLists", "filter", "map", "hasAttr",
              "getAttr", "removeAttrs", "isString", "isAttrs", "isList", "isFunction", "isBool", "isInt",
              "isPath", "isFloat", "genList", "any", "all", "sort", "partition", "toString", "replaceStrings",
              "stringLength", "substring", "splitVersion", "compareVersions", "intersectAttrs", "catAttrs",
              "functionArgs", "zipAttrsWith", "groupBy", "seq", "deepSeq", "typeOf", "match", "split",
              "readFile", "pathExists", "readDir", "baseNameOf", "dirOf", "fromJSON", "toJSON", "throw",
              "tryEval", "trace"):
    FUNCTIONS[_name] = PRIMOPS[_name]
FUNCTIONS["foldl"] = PRIMOPS["foldl'"]


# -- attribute sets ---------------------------------------------------------------------------

@function("genAttrs", 2)
def _gen_attrs(evaluator, site, names, fn):
    keys = [need_string(n, "genAttrs", site) for n in need_list(names, "genAttrs", site).items]
    return AttrSet({k: lazy_apply(evaluator, fn, k, site=site) for k in keys})


@function("genAttrs'", 2)
def _gen_attrs_prime(evaluator, site, items, fn):
    # listToAttrs (map fn items): fn returns a nameValuePair; the first of a name wins
    result: dict = {}
    for item in need_list(items, "genAttrs'", site).items:
        pair = need_set(Thunk.ready(apply(evaluator, fn, item, site=site)), "genAttrs'", site)
        key = need_string(pair.attrs.get("name") or Thunk.ready(None), "genAttrs' name", site)
        if key not in result:
            result[key] = pair.attrs.get("value") or Thunk.ready(Unknown("nameValuePair without value"))
    return AttrSet(result)


@function("mergeAttrsList", 1)
def _merge_attrs_list(evaluator, site, items):
    # foldl' (a: b: a // b) {}: a later set's names win
    merged: dict = {}
    for item in need_list(items, "mergeAttrsList", site).items:
        merged.update(need_set(item, "mergeAttrsList", site).attrs)
    return AttrSet(merged)


@function("mapAttrs'", 2)
def _map_attrs_prime(evaluator, site, fn, attrs):
    result: dict = {}
    for name, thunk in sorted(need_set(attrs, "mapAttrs'", site).attrs.items()):
        pair = need_set(Thunk.ready(apply(evaluator, fn, name, thunk, site=site)), "mapAttrs'", site)
        key = need_string(pair.attrs.get("name") or Thunk.ready(None), "mapAttrs' name", site)
        if key not in result:
            result[key] = pair.attrs.get("value") or Thunk.ready(Unknown("nameValuePair without value"))
    return AttrSet(result)


@function("mapAttrsToList", 2)
def _map_attrs_to_list(evaluator, site, fn, attrs):
    values = need_set(attrs, "mapAttrsToList", site).attrs
    return NixList([lazy_apply(evaluator, fn, n, values[n], site=site) for n in sorted(values)])


@function("nameValuePair", 2)
def _name_value_pair(evaluator, site, name, value):
    return AttrSet({"name": name, "value": value})


@function("filterAttrs", 2)
def _filter_attrs(evaluator, site, predicate, attrs):
    kept = {}
    for name, thunk in need_set(attrs, "filterAttrs", site).attrs.items():
        verdict = as_bool(apply(evaluator, predicate, name, thunk, site=site), "filterAttrs predicate")
        if isinstance(verdict, Unknown):
            kept[name] = Thunk.ready(Conditional(site.source_text() if site else "filterAttrs",
                                                 where_of(site), thunk))
        elif verdict:
            kept[name] = thunk
    return AttrSet(kept)


def recursive_update(left: AttrSet, right: AttrSet) -> AttrSet:
    merged = dict(left.attrs)
    for name, thunk in right.attrs.items():
        existing = merged.get(name)
        merged[name] = thunk if existing is None else LazyCall(_merge_values, existing, thunk)
    return AttrSet(merged)


def _merge_values(left: Thunk, right: Thunk):
    a, b = force(right), None
    if isinstance(a, AttrSet) and a.get("type") != "derivation":
        b = force(left)
        if isinstance(b, AttrSet) and b.get("type") != "derivation":
            return recursive_update(b, a)
    return a


@function("recursiveUpdate", 2)
def _recursive_update(evaluator, site, left, right):
    return recursive_update(need_set(left, "recursiveUpdate", site), need_set(right, "recursiveUpdate", site))


@function("mergeAttrs", 2)
def _merge_attrs(evaluator, site, left, right):
    """`a // b` as a function (`foldl' lib.mergeAttrs { } sets` joins sets of hosts)."""
    return AttrSet({**need_set(left, "mergeAttrs", site).attrs, **need_set(right, "mergeAttrs", site).attrs})


@function("concatMapAttrs", 2)
def _concat_map_attrs(evaluator, site, fn, attrs):
    merged: dict = {}
    values = need_set(attrs, "concatMapAttrs", site).attrs
    for name in sorted(values):
        result = Thunk.ready(apply(evaluator, fn, name, values[name], site=site))
        merged.update(need_set(result, "concatMapAttrs", site).attrs)
    return AttrSet(merged)


@function("attrsToList", 1)
def _attrs_to_list(evaluator, site, attrs):
    values = need_set(attrs, "attrsToList", site).attrs
    return NixList([Thunk.ready(AttrSet({"name": Thunk.ready(n), "value": values[n]})) for n in sorted(values)])


def _path_names(thunk, site) -> list[str]:
    return [need_string(n, "attribute path", site) for n in need_list(thunk, "attribute path", site).items]


@function("attrByPath", 3)
def _attr_by_path(evaluator, site, path, default, attrs):
    value = need(attrs, "attrByPath", site)
    for name in _path_names(path, site):
        found = operations.lookup(value, name) if isinstance(value, AttrSet) else operations.MISSING
        if found is operations.MISSING:
            return force(default)
        value = unwrap(force(found))
    return value


@function("hasAttrByPath", 2)
def _has_attr_by_path(evaluator, site, path, attrs):
    value = need(attrs, "hasAttrByPath", site)
    for name in _path_names(path, site):
        if not isinstance(value, AttrSet) or name not in value.attrs:
            return False
        value = unwrap(force(value.attrs[name]))
    return True


@function("getAttrFromPath", 2)
def _get_attr_from_path(evaluator, site, path, attrs):
    value = force(attrs)
    for name in _path_names(path, site):
        value = operations.select(value, name)
    return value


@function("setAttrByPath", 2)
def _set_attr_by_path(evaluator, site, path, value):
    result = value
    for name in reversed(_path_names(path, site)):
        result = Thunk.ready(AttrSet({name: result}))
    return force(result)


@function("isDerivation", 1)
def _is_derivation(evaluator, site, value):
    forced = unwrap(force(value))
    if isinstance(forced, AttrSet):
        return equal(forced.attrs.get("type") or Thunk.ready(None), Thunk.ready("derivation")) is True
    if isinstance(forced, Unknown):
        return forced.plain()
    return False


# -- lists ----------------------------------------------------------------------------------------

@function("foldr", 3)
def _foldr(evaluator, site, fn, initial, items):
    accumulator = initial
    for item in reversed(need_list(items, "foldr", site).items):
        accumulator = lazy_apply(evaluator, fn, item, accumulator, site=site)
    return force(accumulator)


FUNCTIONS["fold"] = FUNCTIONS["foldr"]  # the old name, still in recursiveMergeAttrs helpers


def _flatten(thunk, out: list, site):
    value = force(thunk)
    if isinstance(value, Unknown):
        raise _Bail(value.plain())
    if isinstance(value, NixList):
        for item in value.items:
            _flatten(item, out, site)
    else:
        out.append(thunk)


@function("flatten", 1)
def _flatten_fn(evaluator, site, value):
    out: list = []
    _flatten(value, out, site)
    return NixList(out)


@function("unique", 1)
def _unique(evaluator, site, items):
    kept: list = []
    for item in need_list(items, "unique", site).items:
        if not any(equal(item, seen) is True for seen in kept):
            kept.append(item)
    return NixList(kept)


@function("forEach", 2)
def _for_each(evaluator, site, items, fn):
    return NixList(map_items(evaluator, fn, need_list(items, "forEach", site).items, site))


def _imap(offset: int):
    def imap(evaluator, site, fn, items):
        values = need_list(items, "imap", site).items
        return NixList([lazy_apply(evaluator, fn, i + offset, t, site=site) for i, t in enumerate(values)])
    return imap


FUNCTIONS["imap0"] = Builtin("lib.imap0", 2, _imap(0))
FUNCTIONS["imap1"] = Builtin("lib.imap1", 2, _imap(1))


@function("range", 2)
def _range(evaluator, site, first, last):
    return NixList([Thunk.ready(i) for i in range(need_int(first, "range", site), need_int(last, "range", site) + 1)])


@function("last", 1)
def _last(evaluator, site, items):
    values = need_list(items, "last", site).items
    if not values:
        raise EvalError("lib.last: list is empty", where_of(site))
    return force(values[-1])


@function("init", 1)
def _init(evaluator, site, items):
    values = need_list(items, "init", site).items
    if not values:
        raise EvalError("lib.init: list is empty", where_of(site))
    return NixList(values[:-1])


@function("take", 2)
def _take(evaluator, site, count, items):
    return NixList(need_list(items, "take", site).items[:max(0, need_int(count, "take", site))])


@function("drop", 2)
def _drop(evaluator, site, count, items):
    return NixList(need_list(items, "drop", site).items[max(0, need_int(count, "drop", site)):])


@function("reverseList", 1)
def _reverse_list(evaluator, site, items):
    return NixList(list(reversed(need_list(items, "reverseList", site).items)))


@function("singleton", 1)
def _singleton(evaluator, site, item):
    return NixList([item])


@function("toList", 1)
def _to_list(evaluator, site, item):
    value = force(item)
    return value if isinstance(value, NixList) else NixList([item])


@function("count", 2)
def _count(evaluator, site, predicate, items):
    total = 0
    for item in need_list(items, "count", site).items:
        verdict = as_bool(apply(evaluator, predicate, item, site=site))
        if isinstance(verdict, Unknown):
            return verdict.plain()
        total += verdict is True
    return total


@function("findFirst", 3)
def _find_first(evaluator, site, predicate, default, items):
    for item in need_list(items, "findFirst", site).items:
        verdict = as_bool(apply(evaluator, predicate, item, site=site))
        if isinstance(verdict, Unknown):
            return verdict.plain()
        if verdict:
            return force(item)
    return force(default)


# -- strings ------------------------------------------------------------------------------------------

@function("hasPrefix", 2)
def _has_prefix(evaluator, site, prefix, text):
    return need_text(evaluator, text, "hasPrefix", site).startswith(need_text(evaluator, prefix, "hasPrefix", site))


@function("hasSuffix", 2)
def _has_suffix(evaluator, site, suffix, text):
    return need_text(evaluator, text, "hasSuffix", site).endswith(need_text(evaluator, suffix, "hasSuffix", site))


@function("removePrefix", 2)
def _remove_prefix(evaluator, site, prefix, text):
    value, start = need_text(evaluator, text, "removePrefix", site), need_text(evaluator, prefix, "removePrefix", site)
    return value[len(start):] if value.startswith(start) else value


@function("removeSuffix", 2)
def _remove_suffix(evaluator, site, suffix, text):
    value, end = need_text(evaluator, text, "removeSuffix", site), need_text(evaluator, suffix, "removeSuffix", site)
    return value[:-len(end)] if end and value.endswith(end) else value


@function("splitString", 2)
def _split_string(evaluator, site, separator, text):
    sep = need_text(evaluator, separator, "splitString", site)
    value = need_text(evaluator, text, "splitString", site)
    pieces = value.split(sep) if sep else [value]
    return NixList([Thunk.ready(p) for p in pieces])


@function("concatStrings", 1)
def _concat_strings(evaluator, site, items):
    return "".join(need_text(evaluator, t, "concatStrings", site) for t in need_list(items, "concatStrings", site).items)


@function("concatMapStrings", 2)
def _concat_map_strings(evaluator, site, fn, items):
    values = need_list(items, "concatMapStrings", site).items
    return "".join(need_text(evaluator, Thunk.ready(apply(evaluator, fn, t, site=site)), "concatMapStrings", site)
                   for t in values)


@function("concatMapStringsSep", 3)
def _concat_map_strings_sep(evaluator, site, separator, fn, items):
    sep = need_text(evaluator, separator, "concatMapStringsSep", site)
    values = need_list(items, "concatMapStringsSep", site).items
    return sep.join(need_text(evaluator, Thunk.ready(apply(evaluator, fn, t, site=site)), "concatMapStringsSep", site)
                    for t in values)


@function("toLower", 1)
def _to_lower(evaluator, site, text):
    return need_string(text, "toLower", site).lower()


@function("toUpper", 1)
def _to_upper(evaluator, site, text):
    return need_string(text, "toUpper", site).upper()


@function("boolToString", 1)
def _bool_to_string(evaluator, site, value):
    return "true" if need(value, "boolToString", site) is True else "false"


@function("fileContents", 1)
def _file_contents(evaluator, site, path):
    text = force(apply(evaluator, PRIMOPS["readFile"], path, site=site))
    return text[:-1] if isinstance(text, str) and text.endswith("\n") else text


@function("versionAtLeast", 2)
def _version_at_least(evaluator, site, version, minimum):
    return compare_versions(need_string(version, "versionAtLeast", site), need_string(minimum, "versionAtLeast", site)) >= 0


@function("versionOlder", 2)
def _version_older(evaluator, site, version, other):
    return compare_versions(need_string(version, "versionOlder", site), need_string(other, "versionOlder", site)) < 0


# -- functions -----------------------------------------------------------------------------------------------

@function("id", 1)
def _id(evaluator, site, value):
    return force(value)


@function("const", 2)
def _const(evaluator, site, value, ignored):
    return force(value)


@function("flip", 3)
def _flip(evaluator, site, fn, a, b):
    return apply(evaluator, fn, b, a, site=site)


@function("pipe", 2)
def _pipe(evaluator, site, value, fns):
    result = value
    for fn in need_list(fns, "pipe", site).items:
        result = lazy_apply(evaluator, fn, result, site=site)
    return force(result)


@function("fix", 1)
def _fix(evaluator, site, fn):
    holder: list = []
    result = LazyCall(lambda: apply(evaluator, fn, holder[0], site=site), origin=site)
    holder.append(result)
    return force(result)


@function("hasInfix", 2)
def _has_infix(evaluator, site, infix, text):
    return need_text(evaluator, infix, "hasInfix", site) in need_text(evaluator, text, "hasInfix", site)


@function("subtractLists", 2)
def _subtract_lists(evaluator, site, removed, items):
    gone = need_list(removed, "subtractLists", site).items
    return NixList([t for t in need_list(items, "subtractLists", site).items
                    if not any(equal(t, g) is True for g in gone)])


@function("intersectLists", 2)
def _intersect_lists(evaluator, site, left, right):
    keep = need_list(left, "intersectLists", site).items
    return NixList([t for t in need_list(right, "intersectLists", site).items
                    if any(equal(t, k) is True for k in keep)])


# -- overlays (lib.fixedPoints) ----------------------------------------------------------------

@function("composeExtensions", 4)
def _compose_extensions(evaluator, site, first, second, final, prev):
    return _composed(evaluator, site, [first, second], final, prev)


@function("composeManyExtensions", 3)
def _compose_many_extensions(evaluator, site, overlays, final, prev):
    return _composed(evaluator, site, need_list(overlays, "composeManyExtensions", site).items, final, prev)


def _composed(evaluator, site, overlays, final, prev) -> AttrSet:
    """What overlays applied in turn add, as nixpkgs' composeExtensions: each one's `prev`
    is the previous `prev` with what the earlier ones added."""
    added: dict = {}
    seen = prev
    for index, overlay in enumerate(overlays):
        if index:
            base = need_set(prev, "composeExtensions: prev", site)
            seen = Thunk.ready(AttrSet({**base.attrs, **added}))
        layer = need_set(lazy_apply(evaluator, overlay, final, seen, site=site), "an overlay's result", site)
        added.update(layer.attrs)
    return AttrSet(added)


def _import_data(parser: str):
    def load(evaluator, site, path):
        text = Thunk.ready(apply(evaluator, PRIMOPS["readFile"], path, site=site))
        return apply(evaluator, PRIMOPS[parser], text, site=site)
    return load


FUNCTIONS["importTOML"] = Builtin("lib.importTOML", 1, _import_data("fromTOML"))
FUNCTIONS["importJSON"] = Builtin("lib.importJSON", 1, _import_data("fromJSON"))
