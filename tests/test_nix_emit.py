"""The emitter writes nixfmt-style code that Nix parses, and strings that mean what they say."""

import json
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from migrate.nix.emit import (
    Apply, Attrs, BinOp, Comment, Ident, If, Inherit, Lambda, Let, List, Path, Raw, Str, With,
    attr_key, binding, path_literal, reindent, render, render_file, string_literal,
)
from migrate.nix.parse import parse_text
from tests.nixcheck import NIX_INSTANTIATE, assert_nix_parses, requires_nix


def test_module_layout():
    module = Lambda(["config", "pkgs"], Attrs({"imports": List([Path("hardware.nix")])}), ellipsis=True)
    assert render_file(module) == "{ config, pkgs, ... }:\n{\n  imports = [ ./hardware.nix ];\n}\n"


def test_wiring_module_layout():
    wiring = Lambda(["inputs", "vars"], Let({"user": Ident("vars.username")}, Attrs([
        Comment("Home Manager as a NixOS module"),
        (("home-manager", "useGlobalPkgs"), True),
        (("home-manager", "extraSpecialArgs"), Attrs([Inherit(["inputs", "vars"])])),
        (("home-manager", "sharedModules"), List([Ident("inputs.nixvim.homeModules.nixvim")])),
        (("home-manager", "users", Raw('"${user}"')), Apply(Ident("import"), Path("modules/home"))),
        ("imports", BinOp(List([Path("a.nix"), Path("b.nix")]), "++",
                          Apply(Ident("lib.optional"), Raw("vars.desktop != null"), Path("desktop.nix")))),
    ])), ellipsis=True)
    assert render_file(wiring) == """{ inputs, vars, ... }:
let
  user = vars.username;
in
{
  # Home Manager as a NixOS module
  home-manager.useGlobalPkgs = true;
  home-manager.extraSpecialArgs = { inherit inputs vars; };
  home-manager.sharedModules = [ inputs.nixvim.homeModules.nixvim ];
  home-manager.users."${user}" = import ./modules/home;
  imports = [
    ./a.nix
    ./b.nix
  ]
  ++ lib.optional (vars.desktop != null) ./desktop.nix;
}
"""


def test_function_binding_moves_below_its_name():
    helpers = Attrs({"mkHost": Lambda(["hostname", ("desktop", None)], Apply(
        Ident("inputs.nixpkgs.lib.nixosSystem"),
        Attrs({"specialArgs": Attrs([Inherit(["hostname", "desktop"])]),
               "modules": List([Path("hosts/default.nix"), Ident("inputs.home-manager.nixosModules.home-manager")])})))})
    assert render(Lambda(["inputs"], helpers)) == """{ inputs }:
{
  mkHost =
    { hostname, desktop ? null }:
    inputs.nixpkgs.lib.nixosSystem {
      specialArgs = { inherit hostname desktop; };
      modules = [
        ./hosts/default.nix
        inputs.home-manager.nixosModules.home-manager
      ];
    };
}"""


def test_long_formals_break_one_per_line():
    names = [f"argument{i}" for i in range(12)]
    text = render(Lambda(names, Ident("argument0"), ellipsis=True))
    assert text.startswith("{\n  argument0,\n  argument1,\n") and text.endswith("  ...\n}:\nargument0")


def test_small_and_empty_collections():
    assert render(Attrs()) == "{ }"
    assert render(List()) == "[ ]"
    assert render(List([1])) == "[ 1 ]"
    assert render(List([1, 2])) == "[\n  1\n  2\n]"
    assert render(Attrs({"a": 1})) == "{ a = 1; }"
    assert render(Attrs({"a": 1}, expand=True)) == "{\n  a = 1;\n}"
    assert render(Attrs({"a": 1, "b": None}), indent=1) == "{\n    a = 1;\n    b = null;\n  }"
    assert render(Attrs({"a": 1}, rec=True)) == "rec { a = 1; }"


def test_operands_get_parentheses():
    assert render(List([Apply(Ident("f"), Ident("x"))])) == "[ (f x) ]"
    assert render(Apply(Ident("f"), Apply(Ident("g"), 1), Lambda("x", Ident("x")))) == "f (g 1) (x: x)"
    assert render(BinOp(BinOp(Ident("a"), "+", Ident("b")), "*", Ident("c"))) == "(a + b) * c"
    assert render(If(Raw("a == b"), 1, 2)) == "if a == b then 1 else 2"
    assert render(With(Ident("pkgs"), List([Ident("git")]))) == "with pkgs; [ git ]"


@pytest.mark.parametrize("name, key", [("plain", "plain"), ("with-dash", "with-dash"), ("it's", "it's"),
                                       ("user@host", '"user@host"'), ("a.b", '"a.b"'), ("1x", '"1x"'),
                                       ("in", '"in"'), ("", '""'), ("${x}", '"\\${x}"')])
def test_attr_keys(name, key):
    assert attr_key(name) == key


@pytest.mark.parametrize("path, source", [
    ("x.nix", "./x.nix"), ("./x.nix", "./x.nix"), ("../a/b.png", "../a/b.png"), ("/etc/x", "/etc/x"),
    ("~/x", "~/x"), ("<nixpkgs>", "<nixpkgs>"), (".", "."), ("./.", "./."),
    ("dir with space/x.nix", '(./. + "/dir with space/x.nix")'), ("../a b", '(../. + "/a b")'),
])
def test_path_literals(path, source):
    assert path_literal(path) == source


def test_string_literals():
    assert string_literal('say "hi" ${x} \\ \n\t') == '"say \\"hi\\" \\${x} \\\\ \\n\\t"'
    assert render(Str("line 'x'\n  ''quoted''\nend\n"), indent=1) == \
        "''\n    line 'x'\n      '''quoted'''\n    end\n  ''"
    # Dollar signs next to quotes have no safe escape in ''...'': use "...".
    assert render(Str("a\n'${b}\n")) == '"a\\n\'\\${b}\\n"'
    # Common indentation would be stripped from an indented string: keep "..." then.
    assert render(Str("  a\n  b\n")) == '"  a\\n  b\\n"'


def test_reindent_keeps_double_quoted_string_lines():
    text = '{\n      a = "x\n  y";\n      b = \'\'\n        z\n      \'\';\n    }'
    # The closing brace fixes the old base column (4): the rest keeps its depth under it.
    assert reindent(text, "  ") == '{\n    a = "x\n  y";\n    b = \'\'\n      z\n    \'\';\n  }'
    assert render(Attrs({"v": Raw(text)})) == '{\n  v = {\n    a = "x\n  y";\n    b = \'\'\n      z\n    \'\';\n  };\n}'


def test_binding_helper():
    assert binding(("home-manager", "users", "me"), Apply(Ident("import"), Path("modules/home"))) == \
        "home-manager.users.me = import ./modules/home;"
    assert binding("list", [1, 2], indent="  ") == "list = [\n    1\n    2\n  ];"


def test_invalid_names_are_refused():
    with pytest.raises(ValueError):
        render(Lambda(["in"], Ident("x")))
    with pytest.raises(ValueError):
        render(Ident("1x"))
    with pytest.raises(TypeError):
        render(object())


@requires_nix
def test_rendered_examples_parse_with_nix():
    examples = [
        Lambda(["config", "pkgs"], Attrs({"imports": List([Path("a b/c.nix"), Path("x.nix")])}), ellipsis=True, at="args"),
        Let({"x": Str("a\nb\n"), "y": Attrs({"z": If(Ident("x"), List([1, 2]), List())})}, Ident("y")),
        Attrs([Inherit(["a"], Ident("b")), Comment("two\nlines"), ("k", Lambda("v", Attrs({"v": Ident("v")})))]),
    ]
    for example in examples:
        text = render_file(example)
        parse_text(text)
        assert_nix_parses("with { };\n" + text)


# --------------------------------------------------------------------------
# Strings and keys mean exactly what was asked for, checked with Nix itself.

_pieces = list("ab $'{}\"\\\n\t\r é日") + ["${", "''", "'''", "''$", "\\${"]
_text = st.lists(st.sampled_from(_pieces), max_size=30).map("".join)
_line = st.lists(st.sampled_from(list("ab '$\t{}é") + ["${", "''"]), max_size=12).map("".join)
_lines = st.lists(_line, min_size=2, max_size=5).map(lambda lines: "\n".join(lines) + "\n")


@requires_nix
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(_text, _lines), min_size=40, max_size=40), st.lists(_text, min_size=20, max_size=20))
def test_strings_and_keys_round_trip_through_nix(values, keys):
    keys = list(dict.fromkeys(keys))
    expression = render_file(Attrs({"values": List([Str(v) for v in values]),
                                    "keys": List([Raw("builtins.attrNames " + render(Attrs({k: 1 for k in keys}, expand=True), indent=1))])}))
    result = subprocess.run([NIX_INSTANTIATE, "--eval", "--strict", "--json", "--expr", expression],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + expression
    evaluated = json.loads(result.stdout)
    assert evaluated["values"] == values
    assert evaluated["keys"][0] == sorted(keys)
