"""Syntax nodes compiled, lazily, into evaluable expressions.

A node becomes an ``Expr`` with one ``kind()`` call; it reads its children
from pynix only the first time it is evaluated (``prepare``), and keeps them,
so a function body called a hundred times is walked once and the parts of a
module nobody asks for (most option values) are never walked at all.
"""

from __future__ import annotations

import re
from typing import Optional

from migrate.analyze import operations
from migrate.analyze.operations import MISSING, as_bool, coerce_to_string, lookup
from migrate.analyze.scope import Env
from migrate.analyze.strings import decode_plain, indented_parts
from migrate.analyze.values import (
    AttrSet, Conditional, EvalError, External, ExternalCall, Lambda, LazyCall, NixList, NixPath,
    PkgsInstance, SystemCall, Thunk, Unknown, WRAPPERS, force, type_name,
)

_SYMBOLIC = (Unknown, External, ExternalCall, PkgsInstance, SystemCall)
from migrate.snapshot import join

MAX_CALL_DEPTH = 300


def make_expr(node, src) -> "Expr":
    """The expression for ``node`` (parentheses are looked through)."""
    kind = node.kind()
    while kind == "NODE_PAREN":
        node = node.first_child()
        kind = node.kind()
    return _KINDS.get(kind, Unsupported)(src, node)


def _unwrap(value):
    while isinstance(value, WRAPPERS):
        value = value.value
    return value


class Expr:
    """Base: ``eval(env)`` returns a forced value (never a Thunk)."""

    __slots__ = ("src", "node", "prepared")

    def __init__(self, src, node):
        self.src = src
        self.node = node
        self.prepared = False

    def eval(self, env):
        if not self.prepared:
            self.prepare()
            self.prepared = True
        return self.run(env)

    def prepare(self) -> None:
        pass

    def run(self, env):
        raise NotImplementedError

    def where(self) -> str:
        return self.src.nix.where(self.node)

    def source_text(self) -> str:
        return self.node.text()

    def error(self, message: str) -> EvalError:
        return EvalError(message, self.where())


class Unsupported(Expr):
    __slots__ = ()

    def run(self, env):
        where = self.where()
        self.src.evaluator.warn(where, f"unsupported syntax {self.node.kind()} is not evaluated")
        return Unknown(f"unsupported syntax {self.node.kind()}", where)


class Literal(Expr):
    __slots__ = ("value",)

    def prepare(self):
        token = self.node.first_token()
        kind, text = token.kind(), token.text()
        if kind == "TOKEN_INTEGER":
            self.value = int(text)
        elif kind == "TOKEN_FLOAT":
            self.value = float(text)
        else:  # TOKEN_URI: Nix reads a bare URL as a string
            self.value = text

    def run(self, env):
        return self.value


class Var(Expr):
    __slots__ = ("name",)

    def prepare(self):
        self.name = self.node.text()

    def run(self, env):
        found = env.lookup(self.name)
        if found is None:
            raise self.error(f"undefined variable '{self.name}'")
        return found.force() if isinstance(found, Thunk) else found


class CurPos(Expr):
    __slots__ = ()

    def run(self, env):
        line, column = self.src.nix.line_col(self.node.text_range()[0])
        return AttrSet({"file": Thunk.ready(self.src.path), "line": Thunk.ready(line),
                        "column": Thunk.ready(column)})


# -- strings and paths ------------------------------------------------------------

def _string_parts(node, src) -> tuple[list, bool]:
    parts: list = []
    indented = False
    for element in node.children_with_tokens():
        kind = element.kind()
        if kind == "TOKEN_STRING_CONTENT":
            parts.append(element.text())
        elif kind == "NODE_INTERPOL":
            parts.append(make_expr(element.as_node().first_child(), src))
        elif kind == "TOKEN_STRING_START":
            indented = element.text() == "''"
    if indented:
        parts = indented_parts(parts)
    else:
        parts = [decode_plain(p) if isinstance(p, str) else p for p in parts]
    return parts, indented


class String(Expr):
    __slots__ = ("parts", "constant")

    def prepare(self):
        self.parts, _ = _string_parts(self.node, self.src)
        self.constant = None
        if all(isinstance(p, str) for p in self.parts):
            self.constant = "".join(self.parts)

    def run(self, env):
        if self.constant is not None:
            return self.constant
        return interpolate(self.parts, env, self.src.evaluator, self)


def interpolate(parts, env, evaluator, site):
    """Concatenate string parts and interpolations; an external value is only
    allowed first (``"${inputs.x}/file"`` stays external)."""
    result = ""
    external = None
    for part in parts:
        if isinstance(part, str):
            text = part
        else:
            text = coerce_to_string(evaluator, part.eval(env), site=part)
            if not isinstance(text, str):
                if isinstance(text, Unknown):
                    return text
                if result == "" and external is None:
                    external = text
                    continue
                return Unknown(f"string mixes text with {getattr(text, 'name', 'an external value')}",
                               site.where())
        result = operations.concat_strings(result, text) if result else text
    if external is not None:
        return External(getattr(external, "name", "?") + result, site.source_text(), site.where())
    return result


class Path(Expr):
    __slots__ = ("parts", "constant")

    def prepare(self):
        parts = []
        for element in self.node.children_with_tokens():
            if element.kind() == "NODE_INTERPOL":
                parts.append(make_expr(element.as_node().first_child(), self.src))
            elif element.is_token():
                parts.append(element.text())
        self.parts = parts
        self.constant = None

    def run(self, env):
        if self.constant is not None:
            return self.constant
        static = all(isinstance(p, str) for p in self.parts)
        text = "".join(self.parts) if static else interpolate(self.parts, env, self.src.evaluator, self)
        if not isinstance(text, str):
            if isinstance(text, Unknown):
                return Unknown(f"path {self.source_text()} depends on an unknown value: {text.reason}",
                               text.where or self.where())
            return Unknown(f"path {self.source_text()} depends on a value from outside the repository",
                           self.where())
        value = self._resolve(str(text))
        if static:
            self.constant = value
        return value

    def _resolve(self, text: str):
        kind = self.node.kind()
        where = self.where()
        if kind == "NODE_PATH_SEARCH":
            return External(text, text, where)
        if kind == "NODE_PATH_REL":
            resolved = join(self.src.directory, text)
            if resolved is not None:
                return NixPath(resolved)
            self.src.evaluator.warn(where, f"path {text} leaves the repository; it is not followed")
        else:
            self.src.evaluator.warn(where, f"path {text} is outside the repository; it is not read")
        return External(text, text, where)


# -- attribute paths -----------------------------------------------------------------

_SIMPLE_ATTRPATH = re.compile(r"[A-Za-z_][A-Za-z0-9_'-]*(?:\.[A-Za-z_][A-Za-z0-9_'-]*)*\Z")


def compile_attrpath(node, src) -> list:
    """Keys of an attribute path: ``str`` for static keys, ``Expr`` for dynamic ones."""
    text = node.text()
    if _SIMPLE_ATTRPATH.match(text):
        return text.split(".")
    keys: list = []
    for child in node.children():
        kind = child.kind()
        if kind == "NODE_IDENT":
            keys.append(child.text())
        elif kind == "NODE_STRING":
            parts, _ = _string_parts(child, src)
            if all(isinstance(p, str) for p in parts):
                keys.append("".join(parts))
            else:
                keys.append(String(src, child))
        elif kind == "NODE_DYNAMIC":
            keys.append(make_expr(child.first_child(), src))
        else:
            keys.append(make_expr(child, src))
    return keys


def eval_key(key, env, evaluator):
    """A dynamic key's name: str, None (``${null}``), or an Unknown."""
    value = _unwrap(key.eval(env))
    if value is None:
        return None
    text = coerce_to_string(evaluator, value, site=key)
    if isinstance(text, str):
        return str(text)
    if isinstance(text, Unknown):
        return text
    return Unknown("attribute name from outside the repository", key.where())


class Select(Expr):
    __slots__ = ("base", "keys", "default")

    def prepare(self):
        children = self.node.children()
        self.base = make_expr(children[0], self.src)
        self.keys = compile_attrpath(children[1], self.src)
        self.default = make_expr(children[2], self.src) if len(children) > 2 else None

    def run(self, env):
        value = self.base.eval(env)
        evaluator = self.src.evaluator
        for key in self.keys:
            name = key if isinstance(key, str) else eval_key(key, env, evaluator)
            if isinstance(name, Unknown):
                return name
            if name is None:
                raise self.error("attribute name is null")
            try:
                found = lookup(value, name)
            except EvalError:
                if self.default is not None:
                    return self.default.eval(env)
                raise
            if found is MISSING:
                if self.default is not None:
                    return self.default.eval(env)
                raise self.error(f"attribute '{name}' missing")
            value = found.force() if isinstance(found, Thunk) else found
        if type(value) is External and value.text is None:
            # Remember where an input's attribute was written (``inputs.x.nixosModules.y``).
            value = External(value.name, self.source_text(), self.where(), value.imported, value.unmodelled)
        return value


class HasAttr(Expr):
    __slots__ = ("base", "keys")

    def prepare(self):
        children = self.node.children()
        self.base = make_expr(children[0], self.src)
        self.keys = compile_attrpath(children[1], self.src)

    def run(self, env):
        value = self.base.eval(env)
        evaluator = self.src.evaluator
        for index, key in enumerate(self.keys):
            name = key if isinstance(key, str) else eval_key(key, env, evaluator)
            if isinstance(name, Unknown):
                return name
            if name is None:
                return False
            if index == len(self.keys) - 1:
                return operations.has_attr(value, name)
            try:
                found = lookup(value, name)
            except EvalError:
                return False
            if found is MISSING:
                return False
            value = force(found)
        return False


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


# -- functions -------------------------------------------------------------------------

class LambdaExpr(Expr):
    __slots__ = ("param", "formals", "ellipsis", "at_name", "body")

    def prepare(self):
        head, body = self.node.children()[:2]
        self.body = make_expr(body, self.src)
        self.param = None
        self.formals = None
        self.ellipsis = False
        self.at_name = None
        if head.kind() == "NODE_IDENT_PARAM":
            self.param = head.text().strip()
            return
        formals = {}
        for element in head.children_with_tokens():
            kind = element.kind()
            if kind == "NODE_PAT_ENTRY":
                parts = element.as_node().children()
                formals[parts[0].text()] = make_expr(parts[1], self.src) if len(parts) > 1 else None
            elif kind == "NODE_PAT_BIND":
                self.at_name = element.as_node().first_child().text()
            elif kind == "TOKEN_ELLIPSIS":
                self.ellipsis = True
        self.formals = formals

    def run(self, env):
        return Lambda(self.param, self.formals, self.ellipsis, self.at_name, self.body, env,
                      self.node, self.src.path, self)

    def invoke(self, evaluator, fn: Lambda, arg: Thunk, site):
        if evaluator.call_depth >= MAX_CALL_DEPTH:
            where = site.where() if site is not None else self.where()
            evaluator.warn(where, "function calls nested too deeply; the result is not evaluated")
            return Unknown("function calls nested too deeply", where)
        if self.formals is None:
            env = Env({self.param: arg}, fn.env)
        else:
            env = self._bind_formals(fn, arg, site)
        evaluator.call_depth += 1
        try:
            return self.body.eval(env)
        finally:
            evaluator.call_depth -= 1

    def _bind_formals(self, fn: Lambda, arg: Thunk, site) -> Env:
        names: dict = {}
        env = Env(names, fn.env)
        if self.at_name is not None:
            names[self.at_name] = arg
        value = _unwrap(arg.force())
        if isinstance(value, AttrSet):
            attrs = value.attrs
            for name, default in self.formals.items():
                thunk = attrs.get(name)
                if thunk is None:
                    if default is not None:
                        thunk = Thunk(default, env)
                    else:
                        where = site.where() if site is not None else self.where()
                        thunk = Thunk.ready(Unknown(f"argument '{name}' was not passed", where))
                names[name] = thunk
            return env
        if isinstance(value, _SYMBOLIC):
            for name in self.formals:
                names[name] = LazyCall(operations.select, value, name, origin=self)
            return env
        raise EvalError(f"function expecting a set called with {type_name(value)}",
                        site.where() if site is not None else self.where())


class Apply(Expr):
    __slots__ = ("fn", "arg")

    def prepare(self):
        fn, arg = self.node.children()[:2]
        self.fn = make_expr(fn, self.src)
        self.arg = make_expr(arg, self.src)

    def run(self, env):
        return operations.call(self.src.evaluator, self.fn.eval(env), Thunk(self.arg, env), self)


# -- operators and control flow -------------------------------------------------------------

_BINARY_TOKENS = {
    "TOKEN_ADD", "TOKEN_SUB", "TOKEN_MUL", "TOKEN_DIV", "TOKEN_CONCAT", "TOKEN_UPDATE",
    "TOKEN_EQUAL", "TOKEN_NOT_EQUAL", "TOKEN_LESS", "TOKEN_LESS_OR_EQ", "TOKEN_MORE",
    "TOKEN_MORE_OR_EQ", "TOKEN_AND_AND", "TOKEN_OR_OR", "TOKEN_IMPLICATION",
}


class BinOp(Expr):
    __slots__ = ("op", "left", "right")

    def prepare(self):
        self.op = None
        for element in self.node.children_with_tokens():
            if element.is_token() and element.kind() in _BINARY_TOKENS:
                self.op = element.kind()
                break
        left, right = self.node.children()[:2]
        self.left = make_expr(left, self.src)
        self.right = make_expr(right, self.src)

    def run(self, env):
        op = self.op
        if op == "TOKEN_AND_AND" or op == "TOKEN_OR_OR" or op == "TOKEN_IMPLICATION":
            return self._logic(op, env)
        left = self.left.eval(env)
        right = self.right.eval(env)
        if op == "TOKEN_ADD":
            return operations.add(self.src.evaluator, left, right, self)
        if op in ("TOKEN_SUB", "TOKEN_MUL", "TOKEN_DIV"):
            return operations.arithmetic({"TOKEN_SUB": "-", "TOKEN_MUL": "*", "TOKEN_DIV": "/"}[op], left, right)
        if op == "TOKEN_CONCAT":
            return self._concat(left, right)
        if op == "TOKEN_UPDATE":
            return self._update(left, right)
        if op == "TOKEN_EQUAL":
            return operations.equal(left, right)
        if op == "TOKEN_NOT_EQUAL":
            same = operations.equal(left, right)
            return same if isinstance(same, Unknown) else not same
        if op == "TOKEN_LESS":
            return operations.less_than(left, right)
        if op == "TOKEN_MORE":
            return operations.less_than(right, left)
        if op == "TOKEN_LESS_OR_EQ":
            result = operations.less_than(right, left)
            return result if isinstance(result, Unknown) else not result
        if op == "TOKEN_MORE_OR_EQ":
            result = operations.less_than(left, right)
            return result if isinstance(result, Unknown) else not result
        where = self.where()
        self.src.evaluator.warn(where, f"unsupported operator in {self.source_text()!r}")
        return Unknown("unsupported operator", where)

    def _logic(self, op, env):
        left = as_bool(self.left.eval(env))
        if op == "TOKEN_AND_AND" and left is False:
            return False
        if op == "TOKEN_OR_OR" and left is True:
            return True
        if op == "TOKEN_IMPLICATION" and left is False:
            return True
        right = as_bool(self.right.eval(env))
        if not isinstance(left, Unknown):
            return right
        decisive = False if op == "TOKEN_AND_AND" else True
        return decisive if right is decisive else left.plain()

    def _concat(self, left, right):
        left_items = self._list_items(left)
        if isinstance(left_items, Unknown):
            return left_items
        right_items = self._list_items(right)
        if isinstance(right_items, Unknown):
            return right_items
        return NixList(left_items + right_items)

    def _list_items(self, value):
        value = _unwrap(value)
        if isinstance(value, NixList):
            return value.items
        if isinstance(value, Unknown):
            items = conditional_items(value)
            return items if items is not None else value.plain()
        if isinstance(value, _SYMBOLIC):
            return Unknown("'++' with a value from outside the repository", self.where())
        raise self.error(f"cannot concatenate {type_name(value)} with a list")

    def _update(self, left, right):
        left, right = _unwrap(left), _unwrap(right)
        if isinstance(left, External) or isinstance(right, External):
            from migrate.analyze.lib_model import merge_libs
            merged = merge_libs(left, right)
            if merged is not None:
                return merged
        for side in (left, right):
            if isinstance(side, Unknown):
                return side.plain()
            if not isinstance(side, AttrSet):
                if isinstance(side, _SYMBOLIC):
                    return Unknown("'//' with a value from outside the repository", self.where())
                raise self.error(f"value is {type_name(side)} while a set was expected in '//'")
        if not right.attrs:
            return left
        if not left.attrs:
            return right
        merged = dict(left.attrs)
        merged.update(right.attrs)
        return AttrSet(merged)


def conditional_items(value: Unknown) -> Optional[list]:
    """List items of ``if c then [..] else [..]`` with an unknown ``c``: each
    branch's items wrapped in a ``Conditional`` (``c`` or ``!(c)``). None when
    a branch is not a list."""
    if len(value.alternatives) != 2:
        return None
    items = []
    conditions = (value.condition, f"!({value.condition})")
    for branch, condition in zip(value.alternatives, conditions):
        branch_value = _unwrap(force(branch))
        if isinstance(branch_value, Unknown):
            branch_items = conditional_items(branch_value)
            if branch_items is None:
                return None
        elif isinstance(branch_value, NixList):
            branch_items = branch_value.items
        else:
            return None
        items.extend(Thunk.ready(Conditional(condition, value.condition_where, item)) for item in branch_items)
    return items


class UnaryOp(Expr):
    __slots__ = ("negate", "operand")

    def prepare(self):
        token = self.node.first_token()
        self.negate = token.kind() == "TOKEN_SUB"
        self.operand = make_expr(self.node.first_child(), self.src)

    def run(self, env):
        value = self.operand.eval(env)
        if self.negate:
            return operations.arithmetic("-", 0, value)
        value = as_bool(value)
        return value if isinstance(value, Unknown) else not value


class IfElse(Expr):
    __slots__ = ("condition", "then", "otherwise")

    def prepare(self):
        condition, then, otherwise = self.node.children()[:3]
        self.condition = make_expr(condition, self.src)
        self.then = make_expr(then, self.src)
        self.otherwise = make_expr(otherwise, self.src)

    def run(self, env):
        condition = as_bool(self.condition.eval(env))
        if condition is True:
            return self.then.eval(env)
        if condition is False:
            return self.otherwise.eval(env)
        return Unknown(condition.reason, condition.where,
                       alternatives=(Thunk(self.then, env), Thunk(self.otherwise, env)),
                       condition=self.condition.source_text(), condition_where=self.condition.where())


class With(Expr):
    __slots__ = ("scope", "body")

    def prepare(self):
        scope, body = self.node.children()[:2]
        self.scope = make_expr(scope, self.src)
        self.body = make_expr(body, self.src)

    def run(self, env):
        return self.body.eval(Env(None, env, Thunk(self.scope, env)))


class Assert(Expr):
    __slots__ = ("condition", "body")

    def prepare(self):
        condition, body = self.node.children()[:2]
        self.condition = make_expr(condition, self.src)
        self.body = make_expr(body, self.src)

    def run(self, env):
        # An assert the analysis cannot decide is assumed to hold: the
        # configuration builds today, so its assertions pass.
        if as_bool(self.condition.eval(env)) is False:
            raise EvalError(f"assertion '{self.condition.source_text()}' failed", self.where(), thrown=True)
        return self.body.eval(env)


class ListExpr(Expr):
    __slots__ = ("items",)

    def prepare(self):
        self.items = [make_expr(child, self.src) for child in self.node.children()]

    def run(self, env):
        return NixList([Thunk(item, env) for item in self.items])


_KINDS = {
    "NODE_LITERAL": Literal,
    "NODE_IDENT": Var,
    "NODE_STRING": String,
    "NODE_PATH_REL": Path,
    "NODE_PATH_ABS": Path,
    "NODE_PATH_HOME": Path,
    "NODE_PATH_SEARCH": Path,
    "NODE_SELECT": Select,
    "NODE_HAS_ATTR": HasAttr,
    "NODE_ATTR_SET": AttrSetExpr,
    "NODE_LET_IN": LetIn,
    "NODE_LEGACY_LET": LegacyLet,
    "NODE_LAMBDA": LambdaExpr,
    "NODE_APPLY": Apply,
    "NODE_BIN_OP": BinOp,
    "NODE_UNARY_OP": UnaryOp,
    "NODE_IF_ELSE": IfElse,
    "NODE_WITH": With,
    "NODE_ASSERT": Assert,
    "NODE_LIST": ListExpr,
    "NODE_CUR_POS": CurPos,
}
