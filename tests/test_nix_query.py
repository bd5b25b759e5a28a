"""Queries over the concrete tree: every written form of each construct."""

import pytest

from migrate.nix.parse import parse_text
from migrate.nix.query import (
    body, bindings, find_binding, flatten, formals, imports_elements, index_file, inherits,
    let_bindings, list_items, lookup_all, module_attrs, option_namespaces, path_literals,
    string_constant,
)


def src(file, node):
    start, end = node.text_range()
    return file.data[start:end].decode("utf-8")


# --------------------------------------------------------------------------
# formals


@pytest.mark.parametrize("text, names, ellipsis, at", [
    ("{ config, pkgs, ... }: { }", ("config", "pkgs"), True, None),
    ("{ config, pkgs ? import <nixpkgs> { }, ... }@inputs: { }", ("config", "pkgs"), True, "inputs"),
    ("inputs@{ self, nixpkgs }: { }", ("self", "nixpkgs"), False, "inputs"),
    ("args @ { self , nixpkgs , ... } : { }", ("self", "nixpkgs"), True, "args"),
    ("{ config\n, lib # the library\n, ...\n}: { }", ("config", "lib"), True, None),
    ("{\n  config,\n  lib,\n}: { }", ("config", "lib"), False, None),
    ("{ }: 1", (), False, None),
    ("{ ... }: 1", (), True, None),
    ("({ a }: a)", ("a",), False, None),
])
def test_formals_of_patterns(text, names, ellipsis, at):
    found = formals(parse_text(text))
    assert found.names == names
    assert [entry.name for entry in found.entries] == list(names)
    assert found.has_ellipsis is ellipsis
    assert found.at_name == at
    assert found.is_pattern and found.ident is None


def test_formals_default_nodes():
    file = parse_text("{ config, pkgs ? import <nixpkgs> { }, desktop ? null, ... }: { }")
    found = formals(file)
    assert found.get("config").default is None
    assert src(file, found.get("pkgs").default) == "import <nixpkgs> { }"
    assert src(file, found.get("desktop").default) == "null"
    assert found.get("missing") is None


def test_formals_fast_and_slow_paths_agree():
    # Given a node only, formals() cannot read the bytes and walks the tree.
    file = parse_text("inputs@{ self, nixpkgs, ... }: { }")
    from_file = formals(file)
    from_node = formals(file.expression)
    assert (from_file.names, from_file.has_ellipsis, from_file.at_name) == \
        (from_node.names, from_node.has_ellipsis, from_node.at_name)


def test_formals_of_plain_argument_and_non_lambda():
    found = formals(parse_text("x: y: x"))
    assert found.ident == "x" and found.names == () and not found.is_pattern
    assert formals(parse_text("{ a = 1; }")) is None


# --------------------------------------------------------------------------
# body


@pytest.mark.parametrize("text", [
    "{ a = 1; }",
    "{ pkgs, ... }: { a = 1; }",
    "{ pkgs, ... }: let x = 1; in { a = 1; }",
    "{ lib, ... }: with lib; ({ a = 1; })",
    "x: y: let z = 1; in with x; assert true; { a = 1; }",
])
def test_body_strips_wrappers(text):
    file = parse_text(text)
    assert src(file, body(file)) == "{ a = 1; }"
    assert module_attrs(file).kind() == "NODE_ATTR_SET"


def test_body_of_non_set_module():
    file = parse_text("{ lib, ... }: lib.mkIf true { }")
    assert body(file).kind() == "NODE_APPLY"
    assert module_attrs(file) is None


# --------------------------------------------------------------------------
# bindings


def test_bindings_paths_quoted_and_dynamic():
    file = parse_text('{ a.b."c" = 1; "${x}".y = 2; ${z} = 3; "user@host" = 4; "é.ü" = 5; "a\\"b" = 6; inherit q; }')
    attrs = file.expression
    expected = [("a", "b", "c"), ('"${x}"', "y"), ("${z}",), ("user@host",), ("é.ü",), ('a"b',)]
    assert [b.path for b in bindings(attrs)] == expected
    assert [b.path for b in bindings(attrs, file)] == expected
    assert [src(file, b.value) for b in bindings(attrs)] == ["1", "2", "3", "4", "5", "6"]
    assert src(file, bindings(attrs)[0].attrpath) == 'a.b."c"'


@pytest.mark.parametrize("text", [
    "{ a.b.c = 42; }",
    "{ a = { b.c = 42; }; }",
    "{ a = { b = { c = 42; }; }; }",
    '{ "a".b."c" = 42; }',
    "{ a.b = { c = 42; }; }",
    "{ x = 1; a = { d = 2; }; a.b = ({ c = 42; }); }",
])
def test_find_binding_however_split(text):
    file = parse_text(text)
    assert src(file, find_binding(file.expression, ("a", "b", "c"))) == "42"


def test_find_binding_misses():
    attrs = parse_text("{ a.b.c.d = 1; a.x = 2; }").expression
    assert find_binding(attrs, ("a", "b", "c")) is None
    assert find_binding(attrs, ("b",)) is None
    # rec sets are not merged with their parent path, so they are not opened.
    assert find_binding(parse_text("{ a = rec { b = 1; }; }").expression, ("a", "b")) is None


def test_lookup_all_and_flatten():
    file = parse_text("{ programs.git.enable = true; programs = { zsh.enable = true; }; home.x = 1; }")
    found = [path for path, _ in lookup_all(file.expression, ("programs",))]
    assert found == [("programs", "git", "enable"), ("programs",), ("programs", "zsh", "enable")]
    assert [path for path, _ in flatten(file.expression)] == [
        ("programs", "git", "enable"), ("programs",), ("programs", "zsh", "enable"), ("home", "x")]


def test_let_bindings_and_inherits():
    file = parse_text("{ inputs, ... }: let inherit (inputs) nixpkgs home-manager; vars = { user = \"me\"; }; in { inherit vars; }")
    assert [b.path for b in let_bindings(file)] == [("vars",)]
    let_node = file.expression.last_child()
    assert [b.path for b in let_bindings(let_node)] == [("vars",)]
    (from_inputs,) = inherits(let_node)
    assert from_inputs.names == ("nixpkgs", "home-manager")
    assert src(file, from_inputs.source) == "inputs"
    (plain,) = inherits(body(file))
    assert plain.names == ("vars",) and plain.source is None
    assert let_bindings(parse_text("{ a = 1; }")) == []


def test_list_items_with_comments():
    file = parse_text("[ a # one\n (f b) /* two */ ./c ]")
    assert [src(file, item) for item in list_items(file.expression)] == ["a", "(f b)", "./c"]


def test_string_constant():
    assert string_constant(parse_text('"a\\nb\\"c\\${d}"').expression) == 'a\nb"c${d}'
    assert string_constant(parse_text('"a${b}"').expression) is None
    assert string_constant(parse_text("''\n  x\n    y\n''").expression) == "x\n  y\n"
    assert string_constant(parse_text("''a '''b ''${c}''").expression) == "a ''b ${c}"
    assert string_constant(parse_text("''a ${b}''").expression) is None


# --------------------------------------------------------------------------
# imports


def test_imports_plain_list():
    file = parse_text("{ ... }: { imports = [ ./a.nix ../b (./c) inputs.x.nixosModules.y ]; }")
    elements = imports_elements(module_attrs(file))
    assert [src(file, e.node) for e in elements] == ["./a.nix", "../b", "./c", "inputs.x.nixosModules.y"]
    assert all(e.condition is None and not e.is_list for e in elements)


def test_imports_with_optional_tails():
    file = parse_text("""{ lib, desktop, username, ... }:
{
  imports = [
    ./${hostname}
    (modulesPath + "/installer/scan/not-detected.nix")
  ]
  ++ lib.optional (builtins.pathExists (./. + "/_mixins/users/${username}")) ./_mixins/users/${username}
  ++ lib.optionals (desktop != null) [ ./_mixins/desktop ./x.nix ]
  ++ optional isLaptop ./laptop.nix
  ++ (if server then [ ./server.nix ] else [ ./desk.nix ])
  ++ map (n: ./hosts + "/${n}") hosts;
}
""")
    got = [(src(file, e.node), e.condition and src(file, e.condition), e.is_list)
           for e in imports_elements(module_attrs(file))]
    assert got == [
        ("./${hostname}", None, False),
        ('modulesPath + "/installer/scan/not-detected.nix"', None, False),
        ("./_mixins/users/${username}", '(builtins.pathExists (./. + "/_mixins/users/${username}"))', False),
        ("./_mixins/desktop", "(desktop != null)", False),
        ("./x.nix", "(desktop != null)", False),
        ("./laptop.nix", "isLaptop", False),
        ("./server.nix", "server", False),
        ("./desk.nix", "server", False),
        ('map (n: ./hosts + "/${n}") hosts', None, True),
    ]
    server, desk = imports_elements(module_attrs(file))[6:8]
    assert server.conditions[0].holds and not desk.conditions[0].holds


def test_imports_nested_conditions_and_absent():
    file = parse_text("{ imports = lib.optionals a (lib.optional b ./x.nix); }")
    (element,) = imports_elements(file.expression)
    assert [src(file, c.node) for c in element.conditions] == ["a", "b"]
    assert src(file, element.condition) == "b"
    assert imports_elements(parse_text("{ a = 1; }").expression) == []


# --------------------------------------------------------------------------
# path literals


def test_path_literals_every_form():
    file = parse_text("""{ vars, ... }:
{
  a = ./x.nix;
  b = ../assets/face.png;
  c = ./${vars.host}/default.nix;
  d = ./. + "/_mixins/users/${vars.user}";
  e = "${./tmux.conf}";
  f = <nixpkgs>;
  g = /etc/nixos/x.nix;
  h = ~/dotfiles;
  i = <nixpkgs/nixos/modules>;
  j = sub/dir.nix;
  k = /. + "/etc";
  # ./not-a-path.nix in a comment
  l = "./not/a/path ${pkgs.x}/bin /dev/sda";
  m = a // b;
}
""")
    got = [(p.kind, p.text, p.interpolated, p.in_string) for p in path_literals(file)]
    assert got == [
        ("relative", "./x.nix", False, False),
        ("relative", "../assets/face.png", False, False),
        ("relative", "./${vars.host}/default.nix", True, False),
        ("concat", './. + "/_mixins/users/${vars.user}"', True, False),
        ("relative", "./tmux.conf", False, True),
        ("search", "<nixpkgs>", False, False),
        ("absolute", "/etc/nixos/x.nix", False, False),
        ("home", "~/dotfiles", False, False),
        ("search", "<nixpkgs/nixos/modules>", False, False),
        ("relative", "sub/dir.nix", False, False),
        ("concat", '/. + "/etc"', False, False),
    ]
    for literal in path_literals(file):
        assert file.data[literal.start:literal.end].decode() == literal.text


def test_path_literal_ranges_are_bytes_after_non_ascii():
    file = parse_text('{ name = "Zoë 日本"; src = ./txt.nix; }')
    (literal,) = path_literals(file)
    assert literal.start == file.data.index(b"./") == file.text.index("./") + 5  # ë: 1 extra byte, 日本: 4
    assert file.data[literal.start:literal.end] == b"./txt.nix"


def test_concat_chain_and_paths_inside_strings_in_interpolation():
    file = parse_text('[ (./. + "/a" + "/${b}") "${./x} and ${"${./y}"}" ]')
    got = [(p.kind, p.text, p.in_string) for p in path_literals(file)]
    assert got == [("concat", './. + "/a" + "/${b}"', False),
                   ("relative", "./x", True), ("relative", "./y", True)]


def test_no_paths():
    assert path_literals(parse_text('{ a = "x/y"; b = c // d; }')) == []


# --------------------------------------------------------------------------
# option namespaces and the file index


def test_option_namespaces_through_wrappers():
    file = parse_text("""{ config, lib, pkgs, ... }:
let cfg = config.x; in
with lib;
{
  imports = [ ./a.nix ];
  options.custom.enable = mkEnableOption "x";
  home.packages = [ ];
  programs.git = { enable = true; };
  programs = { zsh.enable = true; };
  boot.loader.grub.enable = true;
  config = lib.mkIf cfg.enable (lib.mkMerge [
    { services.openssh.enable = true; }
    (mkIf true { nixpkgs.config.allowUnfree = true; })
    { home = lib.mkDefault { stateVersion = "24.05"; }; }
  ]);
  config.networking.hostName = "h";
  fonts = x;
}
""")
    assert option_namespaces(file) == [
        ("home", "packages"), ("programs", "git"), ("programs", "zsh"), ("boot", "loader"),
        ("services", "openssh"), ("nixpkgs", "config"), ("home", "stateVersion"),
        ("networking", "hostName"), ("fonts",),
    ]


def test_index_file():
    file = parse_text('{ pkgs, ... }:\n{\n  imports = [ ./a.nix ] ++ lib.optional x ./b.nix;\n  home.file."x".source = ./x;\n}\n')
    index = index_file(file)
    assert index.formals.names == ("pkgs",)
    assert [b.path for b in index.bindings] == [("imports",), ("home", "file", "x", "source")]
    assert [src(file, e.node) for e in index.imports] == ["./a.nix", "./b.nix"]
    assert [p.text for p in index.paths] == ["./a.nix", "./b.nix", "./x"]


# --------------------------------------------------------------------------
# The index's fast paths answer exactly what the tree walks answer.

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from migrate.nix import query as q  # noqa: E402
from tests.test_nix_roundtrip import nix_files  # noqa: E402


def _range(node):
    return None if node is None else (node.kind(), node.text_range())


def _reference_paths(file):
    """Path literals from a search for every kind, with the tree walks for context."""
    found = []
    for node_kind, kind, _ in q._PATH_KINDS:
        for node in file.root.find_by_kind(node_kind):
            start, end = node.text_range()
            text = file.data[start:end].decode()
            literal = (kind, start, end, text, _range(node), "${" in text, q._in_string(node))
            parent = node.parent()
            if parent is not None and parent.kind() == "NODE_BIN_OP" and kind != "search":
                whole = q._concat_root(node, parent)
                if whole is not None:
                    w_start, w_end = whole.text_range()
                    w_text = file.data[w_start:w_end].decode()
                    literal = ("concat", w_start, w_end, w_text, _range(whole), "${" in w_text, q._in_string(whole))
            found.append(literal)
    return sorted(found, key=lambda literal: literal[1])


def _elements(elements):
    return [(_range(e.node), [(_range(c.node), c.holds) for c in e.conditions], e.is_list) for e in elements]


def assert_index_matches_tree(file):
    index = index_file(file)
    slow_formals = formals(file.expression)  # a node without its file: read from the tree
    fast_formals = index.formals
    if slow_formals is None:
        assert fast_formals is None
    else:
        got = (fast_formals.names, fast_formals.has_ellipsis, fast_formals.at_name, fast_formals.ident)
        assert got == (slow_formals.names, slow_formals.has_ellipsis, slow_formals.at_name, slow_formals.ident)
        assert _range(fast_formals.lambda_node) == _range(slow_formals.lambda_node)
        assert _range(fast_formals.pattern) == _range(slow_formals.pattern)
        assert [e.name for e in fast_formals.entries] == list(slow_formals.names)
    top = body(file)
    assert _range(index.body) == _range(top)
    slow_bindings = bindings(top) if top is not None and top.kind() == "NODE_ATTR_SET" else []
    assert [(b.path, _range(b.node)) for b in index.bindings] == [(b.path, _range(b.node)) for b in slow_bindings]
    slow_imports = []
    for binding in slow_bindings:
        if binding.path == ("imports",):
            slow_imports.extend(q.list_elements(binding.value))
    assert _elements(index.imports) == _elements(slow_imports)
    got_paths = [(p.kind, p.start, p.end, p.text, _range(p.node), p.interpolated, p.in_string) for p in index.paths]
    assert got_paths == _reference_paths(file)
    for literal in index.paths:
        assert _range(literal.base)[0].startswith("NODE_PATH_")


module_gap = st.sampled_from([" ", "\n  ", " # c ./x.nix ${./y}\n  ", " /* ./z */ ", "\n" + " " * 70, "\n# " + "x" * 80 + "\n"])
module_paths = st.sampled_from(["./a.nix", "../b", "./${x}/c.nix", "/etc/x", "~/y", "<nixpkgs>", "d/e.nix", "./a+b.nix"])


@st.composite
def import_lists(draw, depth=0):
    choice = draw(st.sampled_from(["list", "concat", "optional", "optionals", "if", "map", "paren"] if depth < 2 else ["list"]))
    g = draw(module_gap)
    if choice == "list":
        items = draw(st.lists(st.one_of(module_paths, module_paths.map(lambda p: f"({p})"), st.just("(import ./m.nix)")), max_size=3))
        return "[" + "".join(g + item for item in items) + g + "]"
    if choice == "concat":
        right = draw(import_lists(depth + 1))
        return f"{draw(import_lists(depth + 1))}{g}++{g}{'(' + right + ')' if right.startswith('if') else right}"
    if choice == "optional":
        return f"lib.optional{g}(x != null){g}{draw(module_paths)}"
    if choice == "optionals":
        return f"lib.optionals c{g}({draw(import_lists(depth + 1))})"
    if choice == "if":
        return f"if c then {draw(import_lists(depth + 1))} else{g}{draw(import_lists(depth + 1))}"
    if choice == "map":
        return f"map (n: ./m/${{n}}) [ \"a\" ]{g}+ [ ]"
    return f"({g}{draw(import_lists(depth + 1))})"


@st.composite
def modules(draw):
    g = draw(module_gap)
    head = draw(st.sampled_from(["", "# top\n", "/* a { b, c }: */\n", "# " + "y" * 90 + "\n"]))
    pattern = draw(st.sampled_from([
        "{ config, lib, pkgs, ... }:", "{ pkgs ? import <nixpkgs> { }, ... }:", "args@{ a, b }:",
        "{ a , b , ... } @ args :", "{\n  a, # note\n  b,\n}:", "x:", "{ }:", "({ a }: ", "let f = { a }: a; in f { a = ", ""]))
    closing = ")" if pattern.startswith("(") else "; }" if pattern.startswith("let") else ""
    values = st.sampled_from([
        "true", '"s"', "./p.nix", './. + "/q/${x}"', '"${./r.nix}"', '"${ (./s) }"', "'' ${./t} ''",
        "[ ./u ../v ]", "{ w = ./w; }", 'lib.mkIf c { x = ./x; }', '/. + "/etc"', "y + ./z", '"${ # n\n./n}"',
        '"${ /* c */ ./c}"', './d # c\n + "/e"', "f.g or ./h", "a / b", "a // b", '"c++" + d',
        # Path-like text that is no path, and paths in odd company.
        '"./notapath"', "''\n    ./configure --prefix=/usr\n  ''", '"$${./no}"', "''$${./no}''", "''''${./no}''",
        '"\\${./no}"', "<nixpkgs/lib>", "~/h/${x}", "./${v}", '"${./i}/j"', "x //./y", "https://example.org/a"])
    entries = []
    if draw(st.booleans()):
        entries.append(f"imports{g}={g}{draw(import_lists())};")
    # `''n''` is an indented string made of identifier characters; `q''` an identifier.
    keys = ["a", "b.c", '"d e".f', 'g."${x}"', "h . i", "j./* c */k", '"l\\"m"', "''n''", "o.''p''", "q''", '"r.s".t']
    for key in draw(st.lists(st.sampled_from(keys), max_size=4, unique=True)):
        entries.append(f"{key}{draw(module_gap)}={g}{draw(values)};")
    if draw(st.booleans()):
        entries.append("inherit (x) y;")
    attrs = draw(st.sampled_from(["", "rec "])) + "{" + "".join(g + e for e in entries) + g + "}"
    wrap = draw(st.sampled_from(["{}", "let v = ./v; in {}", "with lib; {}", "({})", "lib.mkMerge [ {} ]"]))
    return head + pattern + g + wrap.replace("{}", attrs, 1) + closing + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_index_fast_paths_match_tree_walks_on_modules(text):
    assert_index_matches_tree(parse_text(text))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nix_files())
def test_index_fast_paths_match_tree_walks_on_generated_nix(text):
    from hypothesis import assume
    from migrate.nix.parse import NixSyntaxError
    try:
        file = parse_text(text)
    except NixSyntaxError:
        assume(False)  # that generator's own test reports text rnix rejects
    assert_index_matches_tree(file)


def test_index_fast_paths_match_tree_walks_on_samples():
    from tests.test_nix_roundtrip import SAMPLE_FILES
    from migrate.nix.parse import parse_bytes
    for path in SAMPLE_FILES:
        assert_index_matches_tree(parse_bytes(path.read_bytes(), str(path)))


@pytest.mark.parametrize("text", [
    '{ a = "${./x}"; b = "${ (./y) }/z"; }',
    '{ a = ./${v}; b = ./c/${v}.nix; }',
    '{ a = <nixpkgs>; b = <nixpkgs/lib>; c = import <nixpkgs> { }; }',
    '{ a = ~/x; b = ~/.config/${y}; }',
    '{\n  # imports = [ ./fake.nix ];\n  a = 1; /* ./fake2 ~/fake3 <fake4> */\n}',
    "{ a = \"./notapath\"; b = ''\n    ./configure --prefix=/usr\n  ''; c = \"x/y\"; }",
    "{ a = \"$${./no}\"; b = ''''${./no}''; c = ''$${./no}''; d = \"\\${./no}\"; }",
    '{ a = ./a + "/b"; b = f ./c + "/d"; c = (./. + "/e/${x}"); d = "/x" + ./y; }',
    '{ a = x: ./y; b = "http://example.org/a/b"; c = https://example.org/a; }',
    '{ a = [ ./a /* ./c */ b ]; b = x //./y; c = x / y; }',
    "{ ''a'' = 1; b.''c'' = 2; x'' = 3; }",
    '{ "a.b" = 1; a."b c".d = 2; "${x}" = 3; e . f = 4; g/* c */.h = 5; }',
    '{ config, ... }: { imports = [ ./a.nix ("${./b}") (import ./c.nix) ] ++ lib.optional (x != null) ./d/${x}; }',
    'args@{ pkgs ? import <nixpkgs> { }, ... }: { home.file."./x".source = ./x; }',
])
def test_index_fast_paths_match_tree_walks_on_awkward_inputs(text):
    assert_index_matches_tree(parse_text(text))


@pytest.mark.parametrize("text, in_string", [
    ('"${ # a comment\n ./x}"', True),
    ('"${ # ' + "c" * 100 + '\n ./x}"', True),
    ('"${' + " " * 100 + './x}"', True),
    ('[ # ' + "c" * 100 + '\n ./x ]', False),
])
def test_path_in_interpolation_after_comments(text, in_string):
    (literal,) = path_literals(parse_text(text))
    assert literal.in_string is in_string


def test_space_before_a_path_sum_does_not_backtrack():
    import time
    text = "[ ./x" + " " * 40 + "]"
    start = time.perf_counter()
    assert [p.kind for p in path_literals(parse_text(text))] == ["relative"]
    assert time.perf_counter() - start < 0.5
