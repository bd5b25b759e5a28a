"""The evaluator's value model.

Plain Nix values map onto Python ones: null/bool/int/float/string are
``None``/``bool``/``int``/``float``/``str``. Everything the analysis cannot
or must not compute has its own class, so callers can tell "this is 3" from
"this depends on ``config``" from "this comes from the nixpkgs flake input":

- ``Unknown``: undecidable here (``config.*``, ``pkgs.*``, a ``throw``, a type
  error, infinite recursion). Operations on it give it back, so the first
  reason survives to the caller.
- ``External``: a symbolic value from outside the repository (flake inputs,
  ``modulesPath``, ``<nixpkgs>``). Selecting from it or appending a string to
  it stays symbolic, so ``inputs.nixos-hardware.nixosModules.x`` or
  ``modulesPath + "/installer/scan/not-detected.nix"`` keep their names.
- ``SystemCall``/``PkgsInstance``/``ExternalCall``: applications of externals
  that matter to the migration (``nixosSystem``, ``homeManagerConfiguration``,
  ``import nixpkgs {...}``) or that merely have to be remembered.
- ``Conditional``, ``MkIf``, ``MkMerge``, ``MkOverride``: wrappers that keep
  the shape of conditional configuration instead of deciding it.

Collections are lazy: ``NixList.items`` and ``AttrSet.attrs`` hold ``Thunk``s,
forced on demand with ``Thunk.force()``; a thunk knows how to evaluate itself,
so these classes can be used without a reference to the evaluator.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

_PENDING, _RUNNING, _DONE = 0, 1, 2


class EvalError(Exception):
    """A Nix evaluation failure inside the user's code (type error, missing
    attribute, failed assert, throw). Never escapes the evaluator: the nearest
    thunk turns it into an ``Unknown`` carrying the reason and location."""

    def __init__(self, reason: str, where: Optional[str] = None, thrown: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.where = where
        self.thrown = thrown


class Thunk:
    """A lazily evaluated value: ``expr.eval(env)`` on first ``force()``.

    ``expr`` is kept after evaluation so callers can still ask where the value
    was written (``source_text()``/``where()``), which is how ``lib.optional``
    reports the text of an unknown condition.
    """

    __slots__ = ("expr", "env", "value", "state")

    def __init__(self, expr, env):
        self.expr = expr
        self.env = env
        self.value = None
        self.state = _PENDING

    @classmethod
    def ready(cls, value) -> "Thunk":
        thunk = cls.__new__(cls)
        thunk.expr = None
        thunk.env = None
        thunk.value = value
        thunk.state = _DONE
        return thunk

    def force(self):
        state = self.state
        if state == _DONE:
            return self.value
        if state == _RUNNING:
            return self._recursion()
        self.state = _RUNNING
        try:
            value = self._compute()
        except EvalError as err:
            value = Unknown(err.reason, err.where or self.where(), thrown=err.thrown)
        except RecursionError:
            value = Unknown("evaluation nested too deeply", self.where())
        except Exception as exc:  # an evaluator bug must not stop the analysis
            value = self._internal_error(exc)
        self.value = value
        self.state = _DONE
        expr = self.expr
        if expr is None or not expr.src.keeps_scopes:
            self.env = None  # lets the scope go; a file whose expressions are carried keeps it
        return value

    def _compute(self):
        return self.expr.eval(self.env)

    def _recursion(self) -> "Unknown":
        where = self.where()
        evaluator = self._evaluator()
        if evaluator is not None:
            evaluator.warn(where, "infinite recursion: the value depends on itself")
        return Unknown("infinite recursion", where)

    def _internal_error(self, exc: Exception) -> "Unknown":
        where = self.where()
        message = f"analysis error ({type(exc).__name__}: {exc})"
        evaluator = self._evaluator()
        if evaluator is not None:
            evaluator.warn(where, message)
        return Unknown(message, where)

    def _evaluator(self):
        src = getattr(self.expr, "src", None)
        return src.evaluator if src is not None else None

    @property
    def is_forced(self) -> bool:
        return self.state == _DONE

    def where(self) -> Optional[str]:
        expr = self.expr
        return expr.where() if expr is not None and hasattr(expr, "where") else None

    def source_text(self) -> Optional[str]:
        expr = self.expr
        return expr.source_text() if expr is not None and hasattr(expr, "source_text") else None

    def __repr__(self) -> str:
        if self.state == _DONE:
            return f"Thunk.ready({self.value!r})"
        return f"Thunk({self.source_text()!r})"


class LazyCall(Thunk):
    """A thunk computed by Python code (``fn(*args)``), used by builtins that
    return lazy structures (``mapAttrs``, ``genAttrs``...). ``origin`` is the
    expression to blame in messages."""

    __slots__ = ("fn", "args", "origin")

    def __init__(self, fn: Callable, *args, origin=None):
        super().__init__(None, None)
        self.fn = fn
        self.args = args
        self.origin = origin

    def _compute(self):
        fn, args = self.fn, self.args
        src = getattr(self.origin, "src", None)
        if src is None or not src.keeps_scopes:
            self.fn = self.args = None
        return fn(*args)

    def _evaluator(self):
        src = getattr(self.origin, "src", None)
        return src.evaluator if src is not None else None

    def where(self) -> Optional[str]:
        origin = self.origin
        return origin.where() if origin is not None and hasattr(origin, "where") else None

    def source_text(self) -> Optional[str]:
        origin = self.origin
        return origin.source_text() if origin is not None and hasattr(origin, "source_text") else None


def force(value):
    """A value in weak head normal form (a ``Thunk`` is forced, anything else returned)."""
    while isinstance(value, Thunk):
        value = value.force()
    return value


def as_thunk(value) -> Thunk:
    return value if isinstance(value, Thunk) else Thunk.ready(value)


# -- repository paths and strings -----------------------------------------

class NixPath:
    """A path inside the repository, repo-relative and normalised ("" = root)."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def __eq__(self, other):
        return isinstance(other, NixPath) and other.path == self.path

    def __hash__(self):
        return hash(("NixPath", self.path))

    def __repr__(self):
        return f"NixPath({self.path!r})"

    def to_string(self) -> "PathString":
        """How the path reads once coerced to a string (``"${./x}"``, ``toString ./x``)."""
        return PathString("./" + self.path if self.path else ".", self.path)


class PathString(str):
    """A string that starts with a coerced repository path.

    Real Nix would copy the path to the store; here the text is ``./<repo
    path>`` and ``path`` remembers the repo path, so ``import "${./.}/x.nix"``
    and ``/. + "${./x}"`` still resolve inside the repository."""

    path: str

    def __new__(cls, text: str, path: str):
        obj = super().__new__(cls, text)
        obj.path = path
        return obj


# -- collections -----------------------------------------------------------

class NixList:
    __slots__ = ("items",)

    def __init__(self, items: list[Thunk]):
        self.items = items

    def __len__(self):
        return len(self.items)

    def forced(self) -> list:
        """The items as forced values."""
        return [item.force() for item in self.items]

    def __iter__(self) -> Iterator:
        for item in self.items:
            yield item.force()

    def __repr__(self):
        return f"NixList({self.items!r})"


_MISSING = object()


class AttrSet:
    """An attribute set; values are thunks forced by ``get``/``[]``."""

    __slots__ = ("attrs",)

    def __init__(self, attrs: dict[str, Thunk]):
        self.attrs = attrs

    def get(self, name: str, default=None):
        """The forced value of ``name``, or ``default`` when the set lacks it."""
        thunk = self.attrs.get(name)
        return default if thunk is None else thunk.force()

    def __getitem__(self, name: str):
        return self.attrs[name].force()

    def __contains__(self, name: str) -> bool:
        return name in self.attrs

    def thunk(self, name: str) -> Optional[Thunk]:
        return self.attrs.get(name)

    def names(self) -> list[str]:
        """Attribute names in Nix order (sorted)."""
        return sorted(self.attrs)

    def items(self) -> Iterator[tuple[str, Any]]:
        for name in sorted(self.attrs):
            yield name, self.attrs[name].force()

    def __len__(self):
        return len(self.attrs)

    def __repr__(self):
        return f"AttrSet({self.names()!r})"


class OpenAttrSet(AttrSet):
    """`{ ... } // <a value from an input>` (flake outputs merged with
    `flake-utils.lib.eachDefaultSystem ...`): the names written in the repository are
    known, and taken as they are; a name only the other side could hold is Unknown."""

    __slots__ = ("reason", "where_")

    def __init__(self, attrs: dict, reason: str, where: Optional[str]):
        super().__init__(attrs)
        self.reason = reason
        self.where_ = where

    def missing(self, name: str):
        return Thunk.ready(Unknown(f"attribute '{name}' may come from {self.reason}", self.where_))


# -- functions ---------------------------------------------------------------


class Lambda:
    """A user function.

    ``param`` is the name of a plain ``x: ...`` parameter (None for a pattern);
    ``formals`` maps each pattern name to the compiled default expression (or
    None when it has no default); ``ellipsis`` is True for ``...``; ``at_name``
    is the ``@`` binding; ``node`` is the NODE_LAMBDA syntax node and ``file``
    the repo path it was written in; ``env`` the closure scope.
    """

    __slots__ = ("param", "formals", "ellipsis", "at_name", "body", "env", "node", "file", "code")

    def __init__(self, param, formals, ellipsis, at_name, body, env, node, file, code=None):
        self.param = param
        self.formals = formals
        self.ellipsis = ellipsis
        self.at_name = at_name
        self.body = body
        self.env = env
        self.node = node
        self.file = file
        self.code = code

    def formal_names(self) -> list[str]:
        return list(self.formals or ())

    def has_default(self, name: str) -> bool:
        return bool(self.formals) and self.formals.get(name) is not None

    def __repr__(self):
        if self.formals is not None:
            return f"Lambda({{{', '.join(self.formals)}{', ...' if self.ellipsis else ''}}} @ {self.file})"
        return f"Lambda({self.param} @ {self.file})"


class Builtin:
    """A primop: ``impl(evaluator, *thunks)`` runs once ``arity`` arguments
    (thunks) are collected; partial applications are new ``Builtin``s."""

    __slots__ = ("name", "arity", "impl", "args_so_far")

    def __init__(self, name: str, arity: int, impl: Callable, args_so_far: tuple = ()):
        self.name = name
        self.arity = arity
        self.impl = impl
        self.args_so_far = args_so_far

    def __repr__(self):
        return f"Builtin({self.name}, {len(self.args_so_far)}/{self.arity})"


# -- symbolic values -----------------------------------------------------------

class Unknown:
    """A value the analysis cannot decide.

    ``reason`` and ``where`` (file:line:col) tell why. ``alternatives`` is set
    for ``if c then a else b`` with an unknown ``c``: the thunks of both branches,
    with ``condition`` the text of ``c`` and ``condition_where`` its location,
    so callers can treat both as conditionally reachable. ``thrown`` is True
    for ``throw``/failed ``assert`` (what ``tryEval`` catches).
    """

    __slots__ = ("reason", "where", "alternatives", "condition", "condition_where", "thrown")

    def __init__(self, reason: str, where: Optional[str] = None, *, alternatives: tuple = (),
                 condition: Optional[str] = None, condition_where: Optional[str] = None,
                 thrown: bool = False):
        self.reason = reason
        self.where = where
        self.alternatives = alternatives
        self.condition = condition
        self.condition_where = condition_where
        self.thrown = thrown

    def plain(self) -> "Unknown":
        """The same unknown without alternatives (what operations on it return)."""
        if not self.alternatives:
            return self
        return Unknown(self.reason, self.where, thrown=self.thrown)

    def __repr__(self):
        extra = f", alternatives={len(self.alternatives)}" if self.alternatives else ""
        return f"Unknown({self.reason!r}, {self.where!r}{extra})"


class External:
    """A value from outside the repository, known by name only.

    ``name`` is dotted from its root (``inputs.nixpkgs.lib.nixosSystem``) and
    may end in a path suffix (``inputs.nixpkgs/nixos/modules/x.nix``).
    ``text`` and ``where`` are the source text and location where the name was
    written, when known. ``imported`` marks ``import <external path>``.
    ``unmodelled`` marks a ``lib`` function this analysis does not model:
    applying it gives an ``Unknown`` instead of an ``ExternalCall``.
    """

    __slots__ = ("name", "text", "where", "imported", "unmodelled")

    def __init__(self, name: str, text: Optional[str] = None, where: Optional[str] = None,
                 imported: bool = False, unmodelled: bool = False):
        self.name = name
        self.text = text
        self.where = where
        self.imported = imported
        self.unmodelled = unmodelled

    def child(self, suffix: str, unmodelled: bool = False) -> "External":
        return External(self.name + suffix, None, self.where, unmodelled=unmodelled)

    @property
    def is_subpath(self) -> bool:
        """True for a path into an input (``inputs.x/some/file.nix``, ``<nixpkgs/nixos>``)."""
        return "/" in self.name

    def __eq__(self, other):
        return isinstance(other, External) and other.name == self.name and other.imported == self.imported

    def __hash__(self):
        return hash(("External", self.name))

    def __repr__(self):
        return f"External({self.name!r}{', imported' if self.imported else ''})"


class ExternalCall:
    """An external function applied to arguments (kept lazy in ``arg_thunks``)."""

    __slots__ = ("fn", "arg_thunks", "where")

    def __init__(self, fn: External, arg_thunks: list[Thunk], where: Optional[str] = None):
        self.fn = fn
        self.arg_thunks = arg_thunks
        self.where = where

    @property
    def args(self) -> list:
        return [t.force() for t in self.arg_thunks]

    def __repr__(self):
        return f"ExternalCall({self.fn.name!r}, {len(self.arg_thunks)} args)"


class SystemCall:
    """``nixosSystem``/``homeManagerConfiguration``/``darwinSystem`` applied to
    its argument set. ``kind`` is "nixos", "home" or "darwin"; ``function`` the
    name that was called; ``where`` the call site."""

    __slots__ = ("kind", "args", "where", "function", "written")

    def __init__(self, kind: str, args, where: Optional[str], function: str, written=None):
        self.kind = kind
        self.args = args
        self.where = where
        self.function = function
        # (expression, scope) of the argument set as written, when known: the planner
        # re-expresses values of the arguments (a builder's parameters) from them.
        self.written = written

    def __repr__(self):
        return f"SystemCall({self.kind!r}, {self.function!r}, {self.where!r})"


class PkgsInstance:
    """``import <nixpkgs-like external>`` (``args`` None) or that applied to
    its argument set (``import nixpkgs { inherit system; config = ...; }``)."""

    __slots__ = ("source", "args", "where", "layers")

    def __init__(self, source: External, args=None, where: Optional[str] = None):
        self.source = source
        self.args = args
        self.where = where
        self.layers = None  # what the repository's overlays add (migrate.analyze.overlays), once asked

    @property
    def name(self) -> str:
        return f"pkgs({self.source.name})"

    def __repr__(self):
        return f"PkgsInstance({self.source.name!r}, args={'yes' if self.args is not None else 'no'})"


# -- conditional shapes ----------------------------------------------------------

class Conditional:
    """A value present only when ``condition`` (source text, written at
    ``where``) holds: elements of ``lib.optional(s)`` and attributes of
    ``lib.optionalAttrs`` whose condition is unknown. ``value`` forces."""

    __slots__ = ("condition", "where", "_value")

    def __init__(self, condition: str, where: Optional[str], value):
        self.condition = condition
        self.where = where
        self._value = as_thunk(value)

    @property
    def value(self):
        return self._value.force()

    @property
    def value_thunk(self) -> Thunk:
        return self._value

    def __repr__(self):
        return f"Conditional({self.condition!r}, {self.where!r})"


class MkIf:
    """``lib.mkIf condition value``; ``condition`` is the forced condition value
    (True/False/Unknown), ``condition_text`` its source text."""

    __slots__ = ("condition", "condition_text", "where", "_value")

    def __init__(self, condition, value, condition_text: Optional[str] = None, where: Optional[str] = None):
        self.condition = condition
        self.condition_text = condition_text
        self.where = where
        self._value = as_thunk(value)

    @property
    def value(self):
        return self._value.force()

    def __repr__(self):
        return f"MkIf({self.condition_text or self.condition!r})"


class MkMerge:
    """``lib.mkMerge list``; ``contents`` is the forced list argument (a
    ``NixList`` or an ``Unknown``), ``items`` its forced elements."""

    __slots__ = ("_contents",)

    def __init__(self, contents):
        self._contents = as_thunk(contents)

    @property
    def contents(self):
        return self._contents.force()

    @property
    def items(self) -> list:
        contents = self.contents
        return contents.forced() if isinstance(contents, NixList) else [contents]

    def __repr__(self):
        return "MkMerge(...)"


class MkOverride:
    """``mkDefault``/``mkForce``/``mkOverride n``/``mkBefore``/``mkAfter``/``mkOrder n``:
    ``kind`` is the function name, ``priority`` the number it stands for."""

    __slots__ = ("kind", "priority", "_value")

    def __init__(self, kind: str, priority, value):
        self.kind = kind
        self.priority = priority
        self._value = as_thunk(value)

    @property
    def value(self):
        return self._value.force()

    def __repr__(self):
        return f"MkOverride({self.kind}, {self.priority!r})"


WRAPPERS = (Conditional, MkIf, MkOverride)


def unwrap(value):
    """Strip ``Conditional``/``MkIf``/``MkOverride`` wrappers (forcing as needed)."""
    value = force(value)
    while isinstance(value, WRAPPERS):
        value = value.value
    return value


SYMBOLIC = (Unknown, External, ExternalCall, SystemCall, PkgsInstance)


def type_name(value) -> str:
    """The Nix ``typeOf`` name of a forced value (symbolic values get their class name)."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, NixPath):
        return "path"
    if isinstance(value, NixList):
        return "list"
    if isinstance(value, AttrSet):
        return "set"
    if isinstance(value, (Lambda, Builtin)):
        return "lambda"
    return type(value).__name__


def to_python(value, depth: int = 64):
    """Deeply force into plain Python: dict/list/str/int/... ; paths become
    ``NixPath``, functions and symbolic values are kept as objects. Sets and
    lists nested deeper than ``depth`` are left as they are."""
    value = force(value)
    if depth <= 0:
        return value
    if isinstance(value, NixList):
        return [to_python(item, depth - 1) for item in value.items]
    if isinstance(value, AttrSet):
        return {name: to_python(value.attrs[name], depth - 1) for name in sorted(value.attrs)}
    if isinstance(value, Conditional):
        return Conditional(value.condition, value.where, to_python(value.value_thunk, depth - 1))
    return value
