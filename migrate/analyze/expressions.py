"""Syntax nodes compiled, lazily, into evaluable expressions.

A node becomes an ``Expr`` with one ``kind()`` call; it reads its children
from pynix only the first time it is evaluated (``prepare``), and keeps them,
so a function body called a hundred times is walked once and the parts of a
module nobody asks for (most option values) are never walked at all.
"""

from __future__ import annotations

import re

from migrate.analyze import operations
from migrate.analyze.operations import MISSING, coerce_to_string, lookup
from migrate.analyze.scope import Env
from migrate.analyze.strings import decode_plain, indented_parts
from migrate.analyze.values import (
    AttrSet, EvalError, External, ExternalCall, Lambda, LazyCall, NixPath, PkgsInstance, SystemCall,
    Thunk, Unknown, WRAPPERS, force, type_name,
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
    return (_KINDS or _load_kinds()).get(kind, Unsupported)(src, node)


def _unwrap(value):
    while isinstance(value, WRAPPERS):
        value = value.value
    return value


class Expr:
    """Base: ``eval(env)`` returns a forced value (never a Thunk)."""

    __slots__ = ("src", "node", "prepared", "_where")

    def __init__(self, src, node):
        self.src = src
        self.node = node
        self.prepared = False
        self._where = None

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
        # Asked once per root that reaches the expression (every edge records it).
        if self._where is None:
            self._where = self.src.nix.where(self.node)
        return self._where

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


_KINDS: dict = {}


def _load_kinds() -> dict:
    # Submodules import this one for ``Expr``; they are loaded on first use.
    from migrate.analyze.bindings import AttrSetExpr, LegacyLet, LetIn
    from migrate.analyze.control import Assert, BinOp, IfElse, ListExpr, UnaryOp, With
    _KINDS.update({
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
    })
    return _KINDS
