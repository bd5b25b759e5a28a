"""The machinery shared by ``builtins.*`` and the ``lib`` model.

A primop gets ``(evaluator, site, *argument_thunks)`` and forces only what it
needs. Helpers ``need_*`` force an argument and check its type; an unknown
or external argument ends the primop early with an ``Unknown`` (``_Bail``),
so implementations read like the Nix documentation of each function.
"""

from __future__ import annotations

from typing import Callable, Optional

from migrate.analyze import operations
from migrate.analyze.operations import coerce_to_string
from migrate.analyze.values import (
    AttrSet, Builtin, EvalError, External, ExternalCall, Lambda, LazyCall, NixList, NixPath,
    PathString, PkgsInstance, SystemCall, Thunk, Unknown, force, type_name, unwrap,
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
