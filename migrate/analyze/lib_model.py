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
from migrate.analyze.lib_functions import FUNCTIONS, function
from migrate.analyze.operations import as_bool
from migrate.analyze.primops import apply, need_set, reader_path, repo_path_arg, where_of
from migrate.analyze.values import (
    AttrSet, Builtin, Conditional, EvalError, External, LazyCall, MkIf, MkMerge, MkOverride,
    NixList, NixPath, SystemCall, Thunk, Unknown, force, unwrap,
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


@function("extend", 1)
def _extend(evaluator, site, extension):
    """``lib.extend (final: prev: {...})``: the model plus the extension."""
    holder: list = []
    final = LazyCall(lambda: holder[0])
    added = need_set(Thunk.ready(apply(evaluator, extension, final, LIB, site=site)), "lib.extend", site)
    externals = getattr(added, "externals", None)
    if externals:  # the extension merged an input's lib (`// inputs.home-manager.lib`)
        extended = LibUnion({**LIB.attrs, **added.attrs}, externals)
    else:
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
