"""Attribute sets, ``rec`` sets and ``let``: building bindings into scopes.

Nested attribute paths (``a.b = 1; a.c = 2;``) are merged the way Nix does,
including a set literal extended by later paths; dynamic names are
evaluated when the set is built, as in Nix.
"""

from __future__ import annotations

from typing import Optional

from migrate.analyze import operations
from migrate.analyze.expressions import Expr, compile_attrpath, eval_key, make_expr, _string_parts
from migrate.analyze.scope import Env
from migrate.analyze.values import AttrSet, EvalError, LazyCall, Thunk, Unknown


# -- bindings (sets, rec sets, let) -------------------------------------------------------

class _Nested:
    """An attribute set under construction from several ``a.b = ...`` lines."""

    __slots__ = ("attrs",)

    def __init__(self):
        self.attrs: dict = {}


class Bindings:
    """The bindings of a set or let: ``entries`` of (keys, value expr) and
    inherits as (None, names, from expr or None)."""

    __slots__ = ("entries", "src", "flat")

    def __init__(self, nodes, src):
        self.src = src
        entries = []
        for child in nodes:
            kind = child.kind()
            if kind == "NODE_ATTRPATH_VALUE":
                path_node, value_node = child.children()[:2]
                entries.append((compile_attrpath(path_node, src), make_expr(value_node, src)))
            elif kind == "NODE_INHERIT":
                source = None
                names = []
                for part in child.children():
                    part_kind = part.kind()
                    if part_kind == "NODE_INHERIT_FROM":
                        source = make_expr(part.first_child(), src)
                    elif part_kind == "NODE_IDENT":
                        names.append(part.text())
                    elif part_kind == "NODE_STRING":
                        parts, _ = _string_parts(part, src)
                        names.append("".join(p for p in parts if isinstance(p, str)))
                entries.append((None, names, source))
        self.entries = entries
        # The common case (``name = value;`` only) needs no merging logic.
        self.flat = all(
            keys is not None and len(keys) == 1 and isinstance(keys[0], str) for keys, *_ in entries
        ) and len({e[0][0] for e in entries}) == len(entries)

    def build(self, target: dict, value_env: Env, inherit_env: Env) -> dict:
        """Fill ``target`` (name -> Thunk) with the bindings."""
        if self.flat:
            for keys, expr in self.entries:
                target[keys[0]] = Thunk(expr, value_env)
            return target
        evaluator = self.src.evaluator
        for entry in self.entries:
            if entry[0] is None:
                self._inherit(target, entry[1], entry[2], value_env, inherit_env)
                continue
            keys, expr = entry
            names = []
            for key in keys:
                name = key if isinstance(key, str) else eval_key(key, inherit_env, evaluator)
                if isinstance(name, Unknown):
                    evaluator.warn(expr.where(), f"attribute name is unknown ({name.reason}); binding skipped")
                    break
                if name is None:
                    break
                names.append(name)
            else:
                _insert(target, names, expr, value_env, self.src)
        for name, value in target.items():
            if isinstance(value, _Nested):
                target[name] = _finish(value)
        return target

    def _inherit(self, target, names, source, value_env, inherit_env):
        if source is not None:
            source_thunk = Thunk(source, value_env)
            for name in names:
                target[name] = LazyCall(operations.select, source_thunk, name, origin=source)
            return
        for name in names:
            found = inherit_env.lookup(name)
            if found is None:
                found = Unknown(f"undefined variable '{name}' in inherit", self.src.nix.path)
            target[name] = found if isinstance(found, Thunk) else Thunk.ready(found)


def _insert(target: dict, names: list, expr, env, src):
    for name in names[:-1]:
        existing = target.get(name)
        if existing is None:
            existing = target[name] = _Nested()
        elif not isinstance(existing, _Nested):
            existing = target[name] = _expand_literal(existing, src)
            if existing is None:
                raise EvalError(f"attribute '{name}' already defined", expr.where())
        target = existing.attrs
    last = names[-1]
    existing = target.get(last)
    if existing is None:
        target[last] = Thunk(expr, env)
        return
    nested = existing if isinstance(existing, _Nested) else _expand_literal(existing, src)
    if nested is None or not (isinstance(expr, AttrSetExpr) and not expr.is_rec()):
        raise EvalError(f"attribute '{last}' already defined", expr.where())
    target[last] = nested
    expr.bindings_for_merge().build(nested.attrs, env, env)


def _expand_literal(thunk, src) -> Optional[_Nested]:
    """``a = { b = 1; }; a.c = 2;``: Nix merges a set literal with later paths."""
    expr = thunk.expr if isinstance(thunk, Thunk) else None
    if not isinstance(expr, AttrSetExpr) or expr.is_rec() or thunk.is_forced:
        return None
    nested = _Nested()
    expr.bindings_for_merge().build(nested.attrs, thunk.env, thunk.env)
    return nested


def _finish(nested: _Nested) -> Thunk:
    attrs = nested.attrs
    for name, value in attrs.items():
        if isinstance(value, _Nested):
            attrs[name] = _finish(value)
    return Thunk.ready(AttrSet(attrs))


class AttrSetExpr(Expr):
    __slots__ = ("bindings", "rec")

    def prepare(self):
        self.rec = self.is_rec()
        self.bindings = Bindings(self.node.children(), self.src)

    def is_rec(self) -> bool:
        if self.prepared:
            return self.rec
        token = self.node.first_token()
        return token is not None and token.kind() == "TOKEN_REC"

    def bindings_for_merge(self) -> Bindings:
        if not self.prepared:
            self.prepare()
            self.prepared = True
        return self.bindings

    def run(self, env):
        if not self.rec:
            return AttrSet(self.bindings.build({}, env, env))
        names: dict = {}
        inner = Env(names, env)
        self.bindings.build(names, inner, env)
        return AttrSet(names)


class LetIn(Expr):
    __slots__ = ("bindings", "body")

    def prepare(self):
        children = self.node.children()
        self.bindings = Bindings(children[:-1], self.src)
        self.body = make_expr(children[-1], self.src)

    def run(self, env):
        names: dict = {}
        inner = Env(names, env)
        self.bindings.build(names, inner, env)
        return self.body.eval(inner)


class LegacyLet(Expr):
    """``let { ...; body = e; }``: a rec set whose ``body`` is the value."""

    __slots__ = ("bindings",)

    def prepare(self):
        self.bindings = Bindings(self.node.children(), self.src)

    def run(self, env):
        names: dict = {}
        self.bindings.build(names, Env(names, env), env)
        if "body" not in names:
            raise self.error("let { } without a body attribute")
        return names["body"].force()
