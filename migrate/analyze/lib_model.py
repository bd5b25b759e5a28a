"""A model of the nixpkgs ``lib`` functions dotfiles use.

``LIB`` is what callers pass as the ``lib`` module argument, and what
``<input>.lib.<name>`` resolves to for modelled names. Functions whose
condition may be unknown keep it instead of guessing: ``optional``,
``optionals``, ``optionalAttrs`` wrap results in ``Conditional`` and the
``mk*`` module functions return the ``MkIf``/``MkMerge``/``MkOverride``
wrappers. A name the model lacks gives ``External("lib.<name>")``, whose
application is an ``Unknown`` that says so.
"""

from __future__ import annotations

from typing import Optional

from migrate.analyze import operations
from migrate.analyze.builtins import (
    PRIMOPS, _Bail, apply, filter_items, lazy_apply, map_items, need, need_int, need_list,
    need_set, need_string, need_text, registry, repo_path_arg, reader_path, where_of,
)
from migrate.analyze.operations import as_bool, equal
from migrate.analyze.values import (
    AttrSet, Builtin, Conditional, EvalError, External, LazyCall, MkIf, MkMerge, MkOverride, NixList,
    NixPath, SystemCall, Thunk, Unknown, force, unwrap,
)


class LibModel(AttrSet):
    """An attribute set of modelled functions; any other name is an
    ``External`` marked unmodelled (its application gives an ``Unknown``)."""

    __slots__ = ("prefix",)

    def __init__(self, attrs: dict, prefix: str):
        super().__init__(attrs)
        self.prefix = prefix

    def missing(self, name: str):
        return External(self.prefix + name, unmodelled=True)


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


def _condition(thunk, value: Unknown) -> tuple[str, Optional[str]]:
    """Source text and location of an unknown condition argument."""
    text = thunk.source_text() if isinstance(thunk, Thunk) else None
    where = thunk.where() if isinstance(thunk, Thunk) else None
    return (text or value.reason), (where or value.where)


def _decide(thunk):
    """A condition argument: True, False, or the Unknown it depends on."""
    return as_bool(unwrap(force(thunk)), "condition")


# -- conditionals --------------------------------------------------------------------------

@function("optional", 2)
def _optional(evaluator, site, cond, item):
    decided = _decide(cond)
    if decided is True:
        return NixList([item])
    if decided is False:
        return NixList([])
    text, where = _condition(cond, decided)
    return NixList([Thunk.ready(Conditional(text, where, item))])


@function("optionals", 2)
def _optionals(evaluator, site, cond, items):
    decided = _decide(cond)
    if decided is False:
        return NixList([])
    values = unwrap(force(items))
    if decided is True:
        return values
    text, where = _condition(cond, decided)
    if not isinstance(values, NixList):
        return Unknown(decided.reason, decided.where, alternatives=(items, Thunk.ready(NixList([]))),
                       condition=text, condition_where=where)
    return NixList([Thunk.ready(Conditional(text, where, item)) for item in values.items])


@function("optionalAttrs", 2)
def _optional_attrs(evaluator, site, cond, attrs):
    decided = _decide(cond)
    if decided is False:
        return AttrSet({})
    values = unwrap(force(attrs))
    if decided is True:
        return values
    text, where = _condition(cond, decided)
    if not isinstance(values, AttrSet):
        return Unknown(decided.reason, decided.where, alternatives=(attrs, Thunk.ready(AttrSet({}))),
                       condition=text, condition_where=where)
    return AttrSet({n: Thunk.ready(Conditional(text, where, t)) for n, t in values.attrs.items()})


@function("optionalString", 2)
def _optional_string(evaluator, site, cond, text_thunk):
    decided = _decide(cond)
    if decided is True:
        return force(text_thunk)
    if decided is False:
        return ""
    text, where = _condition(cond, decided)
    return Unknown(decided.reason, decided.where, alternatives=(text_thunk, Thunk.ready("")),
                   condition=text, condition_where=where)


# -- module system wrappers ------------------------------------------------------------------

@function("mkIf", 2)
def _mk_if(evaluator, site, cond, value):
    decided = unwrap(force(cond))
    text = cond.source_text() if isinstance(cond, Thunk) else None
    where = cond.where() if isinstance(cond, Thunk) else None
    return MkIf(decided, value, text, where)


@function("mkMerge", 1)
def _mk_merge(evaluator, site, items):
    return MkMerge(items)


for _name, _priority in (("mkDefault", 1000), ("mkForce", 50), ("mkBefore", 500), ("mkAfter", 1500),
                         ("mkOptionDefault", 1500), ("mkImageMediaOverride", 60), ("mkVMOverride", 10)):
    FUNCTIONS[_name] = Builtin(
        f"lib.{_name}", 1, (lambda kind, prio: lambda ev, site, v: MkOverride(kind, prio, v))(_name, _priority))


@function("mkOverride", 2)
def _mk_override(evaluator, site, priority, value):
    return MkOverride("mkOverride", force(priority), value)


@function("mkOrder", 2)
def _mk_order(evaluator, site, priority, value):
    return MkOverride("mkOrder", force(priority), value)


for _name in ("mkOption", "mkEnableOption", "mkPackageOption", "mkSinkUndeclaredOptions"):
    FUNCTIONS[_name] = Builtin(
        f"lib.{_name}", 2 if _name == "mkPackageOption" else 1,
        (lambda n: lambda ev, site, *args: Unknown(f"option declared with lib.{n}", where_of(site)))(_name))


# -- attribute sets ---------------------------------------------------------------------------

@function("genAttrs", 2)
def _gen_attrs(evaluator, site, names, fn):
    keys = [need_string(n, "genAttrs", site) for n in need_list(names, "genAttrs", site).items]
    return AttrSet({k: lazy_apply(evaluator, fn, k, site=site) for k in keys})


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
    from migrate.analyze.builtins import compare_versions
    return compare_versions(need_string(version, "versionAtLeast", site), need_string(minimum, "versionAtLeast", site)) >= 0


@function("versionOlder", 2)
def _version_older(evaluator, site, version, other):
    from migrate.analyze.builtins import compare_versions
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


@function("extend", 1)
def _extend(evaluator, site, extension):
    """``lib.extend (final: prev: {...})``: the model plus the extension."""
    holder: list = []
    final = LazyCall(lambda: holder[0])
    added = need_set(Thunk.ready(apply(evaluator, extension, final, LIB, site=site)), "lib.extend", site)
    extended = LibModel({**LIB.attrs, **added.attrs}, "lib.")
    holder.append(extended)
    return extended


# -- files and systems ------------------------------------------------------------------------------------

@function("listFilesRecursive", 1)
def _list_files_recursive(evaluator, site, directory):
    root = repo_path_arg(evaluator, directory, "listFilesRecursive", site)
    files: list = []

    def walk(path: str):
        evaluator.record_read(reader_path(site), path, "readDir")
        for name, kind in sorted(evaluator.snapshot.listdir(path).items()):
            child = f"{path}/{name}" if path else name
            if kind == "directory":
                walk(child)
            else:
                files.append(Thunk.ready(NixPath(child)))

    if not evaluator.snapshot.is_dir(root):
        raise EvalError(f"listFilesRecursive: {root or '.'} is not a directory in the repository", where_of(site))
    walk(root)
    return NixList(files)


@function("cleanSource", 1)
def _clean_source(evaluator, site, path):
    return force(path)


@function("cleanSourceWith", 1)
def _clean_source_with(evaluator, site, args):
    return operations.select(need_set(args, "cleanSourceWith", site), "src")


@function("nixosSystem", 1)
def _nixos_system(evaluator, site, args):
    return SystemCall("nixos", force(args), where_of(site), "lib.nixosSystem")


FUNCTIONS["makeExtensible"] = External("lib.makeExtensible")

_FLAKE_EXPOSED = ("x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin")


def _ready(attrs: dict) -> dict:
    return {n: v if isinstance(v, Thunk) else Thunk.ready(v) for n, v in attrs.items()}


def _build() -> LibModel:
    functions = _ready(FUNCTIONS)
    namespaces = {}
    for space in ("strings", "lists", "attrsets", "trivial", "fixedPoints", "sources", "modules", "versions"):
        namespaces[space] = LibModel(functions, f"lib.{space}.")
    namespaces["filesystem"] = LibModel(_ready({"listFilesRecursive": FUNCTIONS["listFilesRecursive"]}),
                                        "lib.filesystem.")
    systems = NixList([Thunk.ready(s) for s in _FLAKE_EXPOSED])
    namespaces["systems"] = LibModel(_ready({"flakeExposed": systems}), "lib.systems.")
    attrs = dict(functions)
    attrs.update(_ready(namespaces))
    attrs["types"] = Thunk.ready(External("lib.types"))
    return LibModel(attrs, "lib.")


LIB = _build()


class LibUnion(LibModel):
    """``nixpkgs.lib // home-manager.lib`` (a common flake idiom): the model's
    functions plus any concrete attributes, with other names resolved against
    the external libs that were merged (the rightmost by default, as ``//``
    would prefer it, but a system builder from the input that provides it)."""

    __slots__ = ("externals",)

    def __init__(self, attrs: dict, externals: list[External]):
        super().__init__(attrs, "lib.")
        self.externals = externals

    def missing(self, name: str):
        preferred = {"nixosSystem": lambda n: "home-manager" not in n and "darwin" not in n,
                     "homeManagerConfiguration": lambda n: "home-manager" in n,
                     "darwinSystem": lambda n: "darwin" in n}.get(name)
        candidates = [e for e in self.externals if preferred is None or preferred(e.name)]
        chosen = (candidates or self.externals)[-1]
        return chosen.child("." + name)


def merge_libs(left, right) -> Optional[LibModel]:
    """``left // right`` when one side is a lib (the model or an external
    ``<input>.lib``); None when neither is."""
    def is_lib(value) -> bool:
        return isinstance(value, LibModel) or (isinstance(value, External) and value.name.endswith(".lib"))

    if not (is_lib(left) or is_lib(right)):
        return None
    attrs: dict = {}
    externals: list[External] = []
    for side in (left, right):
        if isinstance(side, External):
            if not side.name.endswith(".lib"):
                return None
            attrs.update(LIB.attrs)
            externals.append(side)
        elif isinstance(side, AttrSet):
            attrs.update(side.attrs)
            externals.extend(getattr(side, "externals", ()))
        else:
            return None
    if not externals:
        return LibModel(attrs, "lib.")
    # A modelled name must not hide a system builder provided by an input.
    for name in ("nixosSystem", "homeManagerConfiguration", "darwinSystem"):
        attrs.pop(name, None)
    return LibUnion(attrs, externals)
