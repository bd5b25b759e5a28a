"""``builtins.*`` on attribute sets and lists (lazy where Nix is lazy)."""

from __future__ import annotations

import functools

from migrate.analyze import operations
from migrate.analyze.operations import equal
from migrate.analyze.primops import (
    _Bail, apply, lazy_apply, need, need_int, need_list, need_set, need_string, primop, where_of,
)
from migrate.analyze.values import (
    AttrSet, Builtin, Conditional, EvalError, External, Lambda, NixList, Thunk, Unknown, force, type_name, unwrap,
)


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
    value = unwrap(force(attrs))
    if isinstance(value, External) or getattr(value, "missing", None) is not None:
        # `removeAttrs inputs.nixpkgs.lib [ ... ]`, a lib model, flake-parts outputs: the
        # names not removed are still answered the way the value answers them.
        return _Without(value, removed)
    values = need_set(attrs, "removeAttrs", site).attrs
    return AttrSet({n: t for n, t in values.items() if n not in removed})


class _Without(AttrSet):
    """A set some of whose names are known only on demand, minus REMOVED."""

    __slots__ = ("base", "removed")

    def __init__(self, base, removed: set):
        own = base.attrs if isinstance(base, AttrSet) else {}
        super().__init__({n: t for n, t in own.items() if n not in removed})
        self.base = base
        self.removed = removed

    def missing(self, name: str):
        if name in self.removed:
            return operations.MISSING
        return operations.lookup(self.base, name)


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
    # Nix compares in order and stops at the first match: an item before it that the
    # analysis cannot compare may throw there (`0 + "a"`), so the answer is not known.
    for item in need_list(items, "elem", site).items:
        same = equal(needle, item)
        if isinstance(same, Unknown):
            return same
        if same is True:
            return True
    return False


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
