"""``builtins.*`` and the global identifiers every Nix file sees.

The primops live in ``builtins_files``, ``builtins_collections`` and
``builtins_strings`` (registered into ``primops.PRIMOPS`` on import); this
module adds type checks, control primops and constants, and builds the
outermost scope (``global_env``).
"""

from __future__ import annotations

import math
from typing import Optional

from migrate.analyze import operations
from migrate.analyze.operations import less_than
from migrate.analyze.primops import (
    PRIMOPS, is_function, make_primop, need, need_int, primop, where_of,
)
from migrate.analyze.scope import Env
from migrate.analyze.values import (
    AttrSet, EvalError, NixList, NixPath, Thunk, Unknown, force, type_name,
)


# Importing these registers their primops.
from migrate.analyze import builtins_collections, builtins_files, builtins_strings  # noqa: E402,F401

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
