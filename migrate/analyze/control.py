"""Operators, ``if``, ``with``, ``assert`` and list literals.

An ``if`` on an unknown condition keeps both branches (``Unknown.alternatives``)
and ``++`` turns such a value into ``Conditional`` list items, so a caller
still sees every element that may be present.
"""

from __future__ import annotations

from typing import Optional

from migrate.analyze import operations
from migrate.analyze.expressions import Expr, make_expr, _unwrap, _SYMBOLIC
from migrate.analyze.operations import as_bool
from migrate.analyze.scope import Env
from migrate.analyze.values import (
    AttrSet, Conditional, EvalError, External, ExternalCall, NixList, OpenAttrSet, Thunk, Unknown, force, type_name,
)


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
        if isinstance(left, AttrSet) and isinstance(right, (External, ExternalCall)):
            # `{ nixosConfigurations = ...; } // flake-utils.lib.eachDefaultSystem (...)`:
            # what the repository wrote is kept; the input's side adds unknown names.
            text = self.node.last_child().text() if self.node is not None else "an input"
            return OpenAttrSet(dict(left.attrs), f"`{' '.join(text.split())[:60]}`", self.where())
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
