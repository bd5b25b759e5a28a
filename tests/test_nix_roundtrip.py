"""The tree gives back every byte: sample repositories and generated Nix."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from migrate.nix.parse import parse_bytes, parse_text
from migrate.nix.query import index_file
from tests.nixcheck import assert_nix_parses, requires_nix

SAMPLES = Path(__file__).resolve().parent.parent / "sample-configs"
# Sample files that are not Nix on purpose (a half-written file and a git-crypt one that
# nothing imports): the parser must refuse them with a message, not round-trip them.
NOT_NIX = {"rough-edges/home/wip-hyprland.nix": "syntax error", "rough-edges/secrets/wifi.nix": "git-crypt unlock"}
SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*.nix")
                      if p.relative_to(SAMPLES).as_posix() not in NOT_NIX) if SAMPLES.is_dir() else []


@pytest.mark.skipif(not SAMPLE_FILES, reason="no sample repositories yet")
def test_sample_files_round_trip():
    for path in SAMPLE_FILES:
        data = path.read_bytes()
        file = parse_bytes(data, str(path))
        assert file.root.text().encode("utf-8") == data, path
        assert file.root.text_range() == (0, len(data)), path
        index_file(file)  # the index copes with every real-world shape


@pytest.mark.parametrize("relative", sorted(NOT_NIX))
def test_sample_files_that_are_not_nix_are_refused_with_a_reason(relative):
    from migrate.nix.parse import NixDecodeError, NixSyntaxError

    path = SAMPLES / relative
    with pytest.raises((NixSyntaxError, NixDecodeError)) as refused:
        parse_bytes(path.read_bytes(), str(path))
    assert str(refused.value).startswith(f"{path}:") and NOT_NIX[relative] in str(refused.value)


# --------------------------------------------------------------------------
# A generator of valid Nix with the trivia that makes round trips hard.

# Variables every generated expression may use: the outer lambda binds them.
SCOPE = ["config", "lib", "pkgs", "inputs", "hostname"]
KEYWORDS = {"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"}

gap = st.sampled_from([" ", "  ", "\n", "\n  ", "\t", "\r\n", " # note é\n", " /* c */ ", "\n\n    ", " #\n"])
maybe_gap = st.one_of(st.just(""), gap)
names = st.sampled_from(["a", "b", "enable", "home-manager", "x_1", "it's", "packages", "userName"])
quoted_keys = st.sampled_from(['"user@host"', '"a b"', '"é"', '"${hostname}"', '""'])
variables = st.sampled_from(SCOPE)

string_pieces = st.sampled_from(["a", " ", "é", "日本", "\\\"", "\\\\", "\\n", "\\${", "$$", "$", "/x", "'"])
indented_pieces = st.sampled_from(["a", " ", "é", "''$", "'''", "\n  ", "\n", "#", "$", "\"", "\t"])
paths = st.sampled_from(["./x.nix", "../assets/face.png", "./.", "/etc/nixos", "~/dotfiles", "<nixpkgs>",
                         "<nixpkgs/lib>", "sub/dir.nix", "./a-b_c+d.nix"])
numbers = st.sampled_from(["0", "42", "1.5", "true", "false", "null"])


def _joined(parts: list[str]) -> str:
    # `$` right before an interpolation makes `$${`, Nix's escape for a literal `${`: the
    # interpolation's own text would then end the string (Nix rejects `"$${"é"}"`).
    text = ""
    for part in parts:
        if part.startswith("${") and text.endswith("$"):
            text += "a"
        text += part
    return text


@st.composite
def double_quoted(draw, expr):
    parts = draw(st.lists(st.one_of(string_pieces, expr.map(lambda e: "${" + e + "}")), max_size=4))
    return '"' + _joined(parts) + '"'


@st.composite
def indented(draw, expr):
    parts = draw(st.lists(st.one_of(indented_pieces, expr.map(lambda e: "${" + e + "}")), max_size=5))
    return "''" + _joined(parts) + "''"


@st.composite
def interpolated_path(draw, expr):
    return "./" + draw(st.sampled_from(["", "a/"])) + "${" + draw(expr) + "}" + draw(st.sampled_from(["", ".nix", "/x"]))


def atoms():
    return st.one_of(variables, numbers, paths, variables.map(lambda v: v + ".a.b"))


def parenthesise(text):
    return "(" + text + ")"


@st.composite
def attr_set(draw, expr):
    keys = draw(st.lists(st.one_of(names, quoted_keys), max_size=4, unique=True))
    entries = []
    for key in keys:
        path = key if draw(st.booleans()) else key + "." + draw(names)
        entries.append(f"{path}{draw(maybe_gap)}={draw(gap)}{draw(expr)};")
    if draw(st.booleans()):
        entries.append(f"inherit{draw(gap)}({draw(variables)}){draw(gap)}zz;")
    body = "".join(draw(gap) + entry for entry in entries)
    return draw(st.sampled_from(["", "rec "])) + "{" + body + draw(maybe_gap) + "}"


@st.composite
def list_expr(draw, expr):
    items = draw(st.lists(expr.map(parenthesise) | atoms(), max_size=4))
    return "[" + "".join(draw(gap) + item for item in items) + draw(maybe_gap) + "]"


@st.composite
def let_expr(draw, expr):
    keys = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    bindings = "".join(f"{draw(gap)}{key} = {draw(expr)};" for key in keys)
    return f"let{bindings}{draw(gap)}in{draw(gap)}{draw(expr)}"


@st.composite
def lambda_expr(draw, expr):
    if draw(st.booleans()):
        return f"{draw(variables)}:{draw(gap)}{draw(expr)}"
    formals = draw(st.lists(variables, max_size=3, unique=True))
    entries = [f + (f" ? {draw(expr)}" if draw(st.booleans()) else "") for f in formals]
    if draw(st.booleans()):
        entries.append("...")
    separator = draw(st.sampled_from([", ", ",", "\n, ", ",\n  "]))
    at = draw(st.sampled_from(["", "@args", "args@"]))
    pattern = "{" + draw(maybe_gap) + separator.join(entries) + draw(maybe_gap) + "}"
    pattern = "args@" + pattern if at == "args@" else pattern + at
    return f"{pattern}:{draw(gap)}{draw(expr)}"


@st.composite
def compound(draw, expr):
    kind = draw(st.sampled_from(["apply", "concat", "update", "plus", "if", "with", "select", "paren", "sum"]))
    a, b = parenthesise(draw(expr)), parenthesise(draw(expr))
    g = draw(gap)
    return {
        "apply": f"{draw(variables)}{g}{a}",
        "concat": f"{a}{g}++ {b}",
        "update": f"{a} //{g}{b}",
        "plus": f"{a} + {b}",
        "if": f"if {a} then{g}{b} else {a}",
        "with": f"with {draw(variables)};{g}{b}",
        "select": f"{draw(variables)}.{draw(names)}.${{{draw(variables)}}} or{g}{b}",
        "paren": f"({g}{draw(expr)}{g})",
        "sum": f'./.{g}+ "/{draw(variables)}/${{{draw(variables)}}}"',
    }[kind]


expressions = st.recursive(
    atoms(),
    lambda inner: st.one_of(
        double_quoted(inner), indented(inner), interpolated_path(inner), attr_set(inner), list_expr(inner),
        let_expr(inner), lambda_expr(inner), compound(inner)),
    max_leaves=12,
)


@st.composite
def nix_files(draw):
    """A whole file: leading comments, the usual module lambda, odd trailing trivia."""
    head = draw(st.sampled_from(["", "# A module.\n", "/* header */\n", "\ufeff"[:0]]))
    tail = draw(st.sampled_from(["", "\n", "\r\n", "\n\n# end\n", "  "]))
    return f"{head}{{ {', '.join(SCOPE)}, ... }}:{draw(gap)}{draw(expressions)}{tail}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nix_files())
def test_generated_nix_round_trips(text):
    file = parse_text(text)
    assert file.root.text() == text
    assert file.root.text_range() == (0, len(text.encode("utf-8")))
    index_file(file)


@requires_nix
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nix_files())
def test_generated_nix_is_valid_for_nix(text):
    # Guards the generator itself: a round trip of text Nix rejects proves little.
    assert_nix_parses(text)
    assert parse_text(text).root.text() == text
