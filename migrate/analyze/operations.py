"""Nix's primitive operations on evaluator values: attribute selection,
function application, string coercion, arithmetic and comparison.

Each one accepts symbolic values: an ``Unknown`` operand gives back that
unknown (without ``alternatives``), an ``External`` stays symbolic where Nix
would keep pointing into the same input, and type errors raise ``EvalError``
(turned into an ``Unknown`` by the nearest thunk).
"""

from __future__ import annotations

import posixpath
from typing import Optional

from migrate.analyze.values import (
    AttrSet, Builtin, EvalError, External, ExternalCall, Lambda, LazyCall, NixList, NixPath,
    PathString, PkgsInstance, SystemCall, Thunk, Unknown, WRAPPERS, force, type_name,
)

MISSING = object()

# ``<input>.lib.<name>`` applications that build a system; kind per name.
SYSTEM_FUNCTIONS = {"nixosSystem": "nixos", "homeManagerConfiguration": "home", "darwinSystem": "darwin"}


def _unwrap(value):
    while isinstance(value, WRAPPERS):
        value = value.value
    return value


def _site_where(site) -> Optional[str]:
    return site.where() if site is not None else None


# -- attributes --------------------------------------------------------------

def lookup(value, name: str):
    """The attribute ``name`` of the forced ``value``: a thunk, a symbolic
    value, or ``MISSING`` when ``value`` is a set without it."""
    value = _unwrap(value)
    if isinstance(value, AttrSet):
        thunk = value.attrs.get(name)
        if thunk is not None:
            return thunk
        missing = getattr(value, "missing", None)
        return missing(name) if missing is not None else MISSING
    if isinstance(value, Unknown):
        return value.plain()
    if isinstance(value, External):
        return _select_external(value, name)
    if isinstance(value, PkgsInstance):
        if value.args is not None:
            from migrate.analyze.overlays import overlay_attribute
            added = overlay_attribute(value, name)
            if added is not None:
                return added
        return External(f"{value.name}.{name}", where=value.where)
    if isinstance(value, ExternalCall):
        return Unknown(f"attribute '{name}' of the result of {value.fn.name}", value.where)
    if isinstance(value, SystemCall):
        if name == "extendModules" and value.kind == "nixos":
            return Builtin("extendModules", 1, lambda ev, site, arg: _extend_modules(value, arg, site))
        return Unknown(f"attribute '{name}' of the {value.kind} system built by {value.function}", value.where)
    raise EvalError(f"value is {_a(type_name(value))} while a set was expected (selecting '{name}')")


def _extend_modules(system: SystemCall, arg: Thunk, site):
    """`host.extendModules { modules; specialArgs; }`: the same system with more modules,
    as NixOS builds it (how hm-migrate's mkHost adds Home Manager to a host)."""
    extra = force(arg)
    if not isinstance(extra, AttrSet) or not isinstance(system.args, AttrSet):
        return Unknown("extendModules with arguments the analysis cannot read", _site_where(site))
    attrs = dict(system.args.attrs)
    for name, thunk in extra.attrs.items():
        if name == "modules" and "modules" in attrs:
            before, after = attrs["modules"], thunk
            attrs["modules"] = LazyCall(lambda b=before, a=after: _concat_modules(b, a))
        elif name == "specialArgs" and "specialArgs" in attrs:
            before, after = attrs["specialArgs"], thunk
            attrs["specialArgs"] = LazyCall(lambda b=before, a=after: _merge_sets(b, a))
        else:
            attrs[name] = thunk
    return SystemCall(system.kind, AttrSet(attrs), system.where, system.function)


def _concat_modules(before: Thunk, after: Thunk):
    left, right = force(before), force(after)
    if isinstance(left, NixList) and isinstance(right, NixList):
        return NixList(left.items + right.items)
    return Unknown("extendModules with a module list the analysis cannot read")


def _merge_sets(before: Thunk, after: Thunk):
    left, right = force(before), force(after)
    if isinstance(left, AttrSet) and isinstance(right, AttrSet):
        return AttrSet({**left.attrs, **right.attrs})
    return Unknown("extendModules with specialArgs the analysis cannot read")


def _select_external(external: External, name: str):
    if external.name.endswith(".lib") and name not in SYSTEM_FUNCTIONS:
        from migrate.analyze.lib_model import LIB
        modelled = LIB.attrs.get(name)
        if modelled is not None:
            return modelled
    return external.child("." + name)


def select(value, name: str):
    """``value.name`` forced; EvalError when a set lacks it."""
    found = lookup(force(value), name)
    if found is MISSING:
        raise EvalError(f"attribute '{name}' missing")
    return force(found)


def has_attr(value, name: str):
    """``value ? name``: True/False, or Unknown for symbolic values."""
    value = _unwrap(force(value))
    if isinstance(value, AttrSet):
        return name in value.attrs
    if isinstance(value, Unknown):
        return value.plain()
    if isinstance(value, (External, PkgsInstance, ExternalCall, SystemCall)):
        return Unknown(f"whether {_describe(value)} has attribute '{name}'")
    return False


def _describe(value) -> str:
    name = getattr(value, "name", None) or getattr(getattr(value, "fn", None), "name", None)
    return name or type(value).__name__


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


# -- application -------------------------------------------------------------

def call(evaluator, fn, arg: Thunk, site=None):
    """Apply the forced function value ``fn`` to the thunk ``arg``; ``site``
    (an expression or None) locates the call for messages."""
    fn = _unwrap(fn)
    if isinstance(fn, Lambda):
        return fn.code.invoke(evaluator, fn, arg, site)
    if isinstance(fn, Builtin):
        args = fn.args_so_far + (arg,)
        if len(args) < fn.arity:
            return Builtin(fn.name, fn.arity, fn.impl, args)
        return fn.impl(evaluator, site, *args)
    if isinstance(fn, Unknown):
        return fn.plain()
    if isinstance(fn, External):
        special = evaluator.special_functions.get(fn.name) if evaluator.special_functions else None
        if special is not None:
            return special(evaluator, site, arg)
        return _call_external(evaluator, fn, arg, site)
    if isinstance(fn, ExternalCall):
        return ExternalCall(fn.fn, fn.arg_thunks + [arg], fn.where)
    if isinstance(fn, PkgsInstance):
        if fn.args is None:
            return PkgsInstance(fn.source, force(arg), _site_where(site) or fn.where)
        return Unknown(f"applying the package set {fn.name}", _site_where(site))
    if isinstance(fn, AttrSet) and "__functor" in fn.attrs:
        functor = call(evaluator, fn.attrs["__functor"].force(), Thunk.ready(fn), site)
        return call(evaluator, functor, arg, site)
    if isinstance(fn, SystemCall):
        return Unknown(f"applying the result of {fn.function}", _site_where(site))
    raise EvalError(f"attempt to call something which is not a function but {_a(type_name(fn))}")


def _call_external(evaluator, fn: External, arg: Thunk, site):
    if fn.unmodelled:
        return Unknown(f"{fn.name} is not modelled by the analysis", _site_where(site))
    if evaluator is not None and evaluator.input_kinds:
        from migrate.analyze.input_functions import call_input_function
        modelled = call_input_function(evaluator, fn.name, arg, site)
        if modelled is not None:
            return modelled
    head, _, last = fn.name.rpartition(".")
    kind = SYSTEM_FUNCTIONS.get(last)
    if kind is not None and (head == "lib" or head.endswith(".lib")):
        written = (arg.expr, arg.env) if arg.expr is not None and not arg.is_forced else None
        return SystemCall(kind, force(arg), _site_where(site), fn.name, written)
    return ExternalCall(fn, [arg], _site_where(site))


# -- strings -------------------------------------------------------------------

def coerce_to_string(evaluator, value, *, extended: bool = False, site=None):
    """Nix's string coercion of a forced value: strings, paths and sets with
    ``outPath``/``__toString``; with ``extended`` (``toString``) also numbers,
    booleans, null and lists. Symbolic values are returned unchanged."""
    value = _unwrap(value)
    if isinstance(value, str):
        return value
    if isinstance(value, NixPath):
        return value.to_string()
    if isinstance(value, (Unknown, External, PkgsInstance, ExternalCall, SystemCall)):
        return value.plain() if isinstance(value, Unknown) else value
    if isinstance(value, AttrSet):
        if "__toString" in value.attrs:
            text = call(evaluator, value.attrs["__toString"].force(), Thunk.ready(value), site)
            return coerce_to_string(evaluator, force(text), extended=extended, site=site)
        if "outPath" in value.attrs:
            return coerce_to_string(evaluator, value.attrs["outPath"].force(), extended=extended, site=site)
    if extended:
        if value is None or value is False:
            return ""
        if value is True:
            return "1"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return "%f" % value
        if isinstance(value, NixList):
            # As Nix's coerceToString: a space after every item but the last, except
            # after an empty list (`toString [ 0 [ ] ]` is "0 ", `toString [ [ ] 0 ]` is "0").
            pieces = []
            last = len(value.items) - 1
            for index, item in enumerate(value.items):
                piece = coerce_to_string(evaluator, item.force(), extended=True, site=site)
                if not isinstance(piece, str):
                    return piece if isinstance(piece, Unknown) else Unknown("list holds a value from outside the repository")
                pieces.append(piece)
                item_value = _unwrap(item.force())
                if index < last and not (isinstance(item_value, NixList) and not item_value.items):
                    pieces.append(" ")
            return "".join(pieces)
    raise EvalError(f"cannot coerce {_a(type_name(value))} to a string")


def concat_strings(left: str, right: str) -> str:
    """``left + right`` keeping the knowledge that a string starts with a path."""
    if isinstance(left, PathString):
        return PathString(left + right, left.path)
    return left + right


_VIRTUAL_ROOT = "/\0repo"


def append_to_path(path: NixPath, suffix: str) -> Optional[NixPath]:
    """``path + "suffix"`` as Nix does it (plain text append, then
    canonicalisation); None when the result leaves the repository."""
    full = _VIRTUAL_ROOT + ("/" + path.path if path.path else "") + suffix
    full = posixpath.normpath(full)
    if full == _VIRTUAL_ROOT:
        return NixPath("")
    if full.startswith(_VIRTUAL_ROOT + "/"):
        return NixPath(full[len(_VIRTUAL_ROOT) + 1:])
    return None


def path_string_to_path(text: str) -> Optional[NixPath]:
    """A ``PathString`` back to the repository path it denotes."""
    if isinstance(text, PathString):
        base = NixPath("")
        return append_to_path(base, "/" + text)
    return None


# -- arithmetic ----------------------------------------------------------------

def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def add(evaluator, left, right, site=None):
    left, right = _unwrap(left), _unwrap(right)
    if isinstance(left, Unknown):
        return left.plain()
    if isinstance(right, Unknown):
        return right.plain()
    if _is_number(left) and _is_number(right):
        return left + right
    if isinstance(left, str):
        text = coerce_to_string(evaluator, right, site=site) if not isinstance(right, str) else right
        if isinstance(text, str):
            return concat_strings(left, text)
        if isinstance(text, Unknown):
            return text
        return Unknown(f"string concatenated with {_describe(text)}", _site_where(site))
    if isinstance(left, NixPath):
        if isinstance(right, NixPath):
            suffix = _VIRTUAL_ROOT + ("/" + right.path if right.path else "")
        elif isinstance(right, str):
            suffix = right
        else:
            suffix = coerce_to_string(evaluator, right, site=site)
            if not isinstance(suffix, str):
                return suffix if isinstance(suffix, Unknown) else Unknown(
                    f"path concatenated with {_describe(suffix)}", _site_where(site))
        result = append_to_path(left, suffix)
        if result is None:
            where = _site_where(site)
            evaluator.warn(where, "path leaves the repository; it is not followed")
            return External(f"{left.to_string()}{suffix}", where=where)
        return result
    if isinstance(left, External):
        text = right if isinstance(right, str) else coerce_to_string(evaluator, right, site=site)
        if isinstance(text, str):
            # The written sum (`nixpkgs + "/nixos/..."`) is how a user recognises this module.
            written = site.source_text() if site is not None and hasattr(site, "source_text") else None
            return External(left.name + text, written, left.where)
        return text if isinstance(text, Unknown) else Unknown(
            f"{left.name} concatenated with {_describe(text)}", _site_where(site))
    if isinstance(left, (AttrSet, PkgsInstance, ExternalCall, SystemCall)) and isinstance(right, str):
        text = coerce_to_string(evaluator, left, site=site)
        return add(evaluator, text, right, site)
    raise EvalError(f"cannot add {_a(type_name(right))} to {_a(type_name(left))}")


def arithmetic(operator: str, left, right):
    """``-``, ``*`` and ``/`` on numbers (integer division truncates like C)."""
    left, right = _unwrap(left), _unwrap(right)
    if isinstance(left, Unknown):
        return left.plain()
    if isinstance(right, Unknown):
        return right.plain()
    if not (_is_number(left) and _is_number(right)):
        bad = right if _is_number(left) else left
        raise EvalError(f"value is {_a(type_name(bad))} while a number was expected")
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if right == 0:
        raise EvalError("division by zero")
    if isinstance(left, int) and isinstance(right, int):
        quotient = abs(left) // abs(right)
        return -quotient if (left < 0) != (right < 0) else quotient
    return left / right


# -- comparison ------------------------------------------------------------------

_SYMBOLIC = (Unknown, External, PkgsInstance, ExternalCall, SystemCall)


def equal(left, right):
    """Nix ``==``: True/False, or Unknown when it depends on a symbolic value."""
    left, right = _unwrap(force(left)), _unwrap(force(right))
    if isinstance(left, _SYMBOLIC) or isinstance(right, _SYMBOLIC):
        if isinstance(left, External) and isinstance(right, External):
            if left.name == right.name:
                return True
        unknown = left if isinstance(left, Unknown) else right if isinstance(right, Unknown) else None
        if unknown is not None:
            return unknown.plain()
        return Unknown("comparison with a value from outside the repository")
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _is_number(left) and _is_number(right):
        return left == right
    if isinstance(left, str) and isinstance(right, str):
        return str.__eq__(left, right)
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, NixPath) and isinstance(right, NixPath):
        return left.path == right.path
    if isinstance(left, NixList) and isinstance(right, NixList):
        if len(left.items) != len(right.items):
            return False
        return _all_equal(zip(left.items, right.items))
    if isinstance(left, AttrSet) and isinstance(right, AttrSet):
        if left.attrs.keys() != right.attrs.keys():
            return False
        return _all_equal((left.attrs[k], right.attrs[k]) for k in left.attrs)
    return False


def _all_equal(pairs):
    pending_unknown = None
    for a, b in pairs:
        result = equal(a, b)
        if result is False:
            return False
        if isinstance(result, Unknown) and pending_unknown is None:
            pending_unknown = result
    return pending_unknown if pending_unknown is not None else True


def less_than(left, right):
    """Nix ``<`` on numbers, strings, paths and lists."""
    left, right = _unwrap(force(left)), _unwrap(force(right))
    if isinstance(left, Unknown):
        return left.plain()
    if isinstance(right, Unknown):
        return right.plain()
    if _is_number(left) and _is_number(right):
        return left < right
    if isinstance(left, str) and isinstance(right, str):
        return str(left) < str(right)
    if isinstance(left, NixPath) and isinstance(right, NixPath):
        return left.path < right.path
    if isinstance(left, NixList) and isinstance(right, NixList):
        for a, b in zip(left.items, right.items):
            same = equal(a, b)
            if same is True:
                continue
            if isinstance(same, Unknown):
                return same
            return less_than(a, b)
        return len(left.items) < len(right.items)
    if isinstance(left, _SYMBOLIC) or isinstance(right, _SYMBOLIC):
        return Unknown("comparison with a value from outside the repository")
    raise EvalError(f"cannot compare {_a(type_name(left))} with {_a(type_name(right))}")


def as_bool(value, what: str = "condition"):
    """A forced value as a Nix Boolean: True/False, or Unknown."""
    value = _unwrap(value)
    if value is True or value is False:
        return value
    if isinstance(value, Unknown):
        return value
    if isinstance(value, _SYMBOLIC):
        return Unknown(f"{what} depends on {_describe(value)}")
    raise EvalError(f"value is {_a(type_name(value))} while a Boolean was expected")
