"""Property: on small pure expressions the evaluator agrees with real Nix.

Random arithmetic/list/set/string expressions are evaluated by our
evaluator and by ``nix-instantiate --eval --strict --json``; when Nix fails
(type error, division by zero, missing attribute) our result must contain an
``Unknown`` instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from hypothesis import example, HealthCheck, given, settings, strategies as st

from migrate.analyze.evaluator import Evaluator
from migrate.analyze.values import Unknown, to_python
from migrate.snapshot import from_mapping

NIX = shutil.which("nix-instantiate")
pytestmark = pytest.mark.skipif(NIX is None, reason="nix-instantiate is not installed")

_KEYS = st.sampled_from(["a", "b", "c"])
_INTS = st.integers(-20, 20).map(lambda n: f"({n})" if n < 0 else str(n))
_STRINGS = st.sampled_from(['"a"', '"bc"', '""', '"x y"', "''\n  z\n''"])
_ATOMS = st.one_of(_INTS, _STRINGS, st.sampled_from(["true", "false", "null"]))
_BINARY = ["+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "++", "//"]


def _compound(inner):
    lists = st.lists(inner, max_size=3).map(lambda xs: "[ " + " ".join(f"({x})" for x in xs) + " ]")
    sets = st.dictionaries(_KEYS, inner, max_size=3).map(
        lambda d: "{ " + "".join(f"{k} = {v}; " for k, v in d.items()) + "}")
    return st.one_of(
        lists,
        sets,
        st.tuples(inner, st.sampled_from(_BINARY), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"(if {t[0]} then {t[1]} else {t[2]})"),
        st.tuples(inner, inner).map(lambda t: f"(let x = {t[0]}; in [ x ({t[1]}) ])"),
        st.tuples(sets, _KEYS, inner).map(lambda t: f"(({t[0]}).{t[1]} or {t[2]})"),
        st.tuples(sets, _KEYS).map(lambda t: f"(({t[0]}) ? {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f'("${{toString ({t[0]})}}-" + toString ({t[1]}))'),
        lists.map(lambda l: f"(builtins.length {l})"),
        sets.map(lambda s: f"(builtins.attrNames {s})"),
        st.tuples(inner, lists).map(lambda t: f"(builtins.elem ({t[0]}) {t[1]})"),
        st.tuples(_INTS, lists).map(lambda t: f"(map (v: [ v {t[0]} ]) {t[1]})"),
        st.tuples(sets).map(lambda t: f"(builtins.mapAttrs (n: v: n) {t[0]})"),
    )


EXPRESSIONS = st.recursive(_ATOMS, _compound, max_leaves=8)


def _contains_unknown(value) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_unknown(v) for v in value.values())
    return False


@settings(max_examples=int(os.environ.get("NIX_PROPERTY_EXAMPLES", "50")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS)
# Found by hypothesis: Nix stops at `0 + "a"` before it reaches the matching `true`.
@example('(builtins.elem ((if true then true else 0)) [ ((0 + "a")) (true) ])')
def test_agrees_with_nix_instantiate(text):
    nix = subprocess.run([NIX, "--eval", "--strict", "--json", "--expr", text],
                         capture_output=True, text=True, timeout=30)
    ours = to_python(Evaluator(from_mapping({"e.nix": text})).eval_file("e.nix"))
    if nix.returncode != 0:
        assert _contains_unknown(ours), f"nix failed ({nix.stderr.strip()}) but we computed {ours!r}"
    else:
        assert ours == json.loads(nix.stdout), text
