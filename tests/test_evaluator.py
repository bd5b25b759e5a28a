"""The lazy evaluator on the constructs dotfiles repositories use."""

from __future__ import annotations

import pytest

from migrate.analyze import evaluator as evaluator_module
from migrate.analyze.evaluator import Evaluator
from migrate.analyze.values import (
    AttrSet, Conditional, External, ExternalCall, Lambda, MkIf, MkMerge, MkOverride,
    NixPath, PathString, PkgsInstance, SystemCall, Unknown, to_python,
)
from migrate.nix.parse import NixSyntaxError
from migrate.snapshot import from_mapping


def make(files: dict) -> Evaluator:
    return Evaluator(from_mapping(files))


def value_of(text: str, files: dict | None = None, path: str = "test.nix", depth: int = 64):
    ev = make({**(files or {}), path: text})
    return to_python(ev.eval_file(path), depth), ev


def ev_value(text: str, **kwargs):
    return value_of(text, **kwargs)[0]


# -- literals, operators ----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3 - 4 / 2", 5),
    ("-7 / 2", -3),
    ("7 / -2", -3),
    ("1.5 * 2", 3.0),
    ("3 / 2.0", 1.5),
    ("[ 1 (2 + 3) ] ++ [ \"x\" ]", [1, 5, "x"]),
    ("{ a = 1; } // { b = 2; a = 3; }", {"a": 3, "b": 2}),
    ("[ 1 { a = [ 2 ]; } ] == [ 1 { a = [ 2 ]; } ]", True),
    ("{ a = 1; } == { a = 1; b = 2; }", False),
    ("1 == 1.0", True),
    ("true == 1", False),
    ("null == null", True),
    ("\"abc\" < \"abd\"", True),
    ("[ 1 2 ] < [ 1 3 ]", True),
    ("2 >= 3", False),
    ("3 <= 3", True),
    ("true -> false", False),
    ("false -> throw \"never\"", True),
    ("!true || false", False),
    ("http://example.org/x", "http://example.org/x"),
])
def test_operators(text, expected):
    assert ev_value(text) == expected


def test_type_error_is_unknown_with_location():
    result = ev_value('{ a = 1 + "x"; b = 2; }')
    assert result["b"] == 2
    assert isinstance(result["a"], Unknown)
    assert result["a"].reason == "cannot add a string to an int"
    assert result["a"].where == "test.nix:1:7"


def test_division_by_zero_is_unknown():
    result = ev_value("1 / 0")
    assert isinstance(result, Unknown) and result.reason == "division by zero"


# -- strings ---------------------------------------------------------------------------------------

def test_string_escapes_and_interpolation():
    assert ev_value(r'let x = "b"; in "a\n${x}\${x}\t$${x}\"q\\"') == 'a\nb${x}\t$${x}"q\\'


def test_indented_string_stripping_and_escapes():
    # Expected value printed by nix-instantiate 2.8 for the same text.
    text = "''\n    a\n      b ${\"x\"} ''${ ''' ''\\n c $${z}\n    ''"
    assert ev_value(text) == "a\n  b x ${ '' \nc $${z}\n"


@pytest.mark.parametrize("text, expected", [
    ("''  x\n  y''", "x\ny"),
    ("''   \n a''", "a"),
    ("''\n  ${\"a\"}\n    b\n  ''", "a\n  b\n"),
    ("''\n\n  a\n\n  b\n''", "\na\n\nb\n"),
])
def test_indented_string_edge_cases(text, expected):
    assert ev_value(text) == expected


def test_interpolating_a_path_remembers_it():
    result = ev_value('"${./conf}/x.toml"', path="home/test.nix", files={"home/conf/x.toml": ""})
    assert result == "./home/conf/x.toml"
    assert isinstance(result, PathString) and result.path == "home/conf"


def test_interpolating_an_int_is_an_error():
    assert isinstance(ev_value('"${1}"'), Unknown)


# -- sets, let, with, inherit --------------------------------------------------------------------------

def test_rec_set_and_nested_attrpaths_merge():
    result = ev_value("rec { a.b.c = 1; a.d = a.b.c + 1; e = { f = 1; }; e.g = 2; }")
    assert result == {"a": {"b": {"c": 1}, "d": 2}, "e": {"f": 1, "g": 2}}


def test_duplicate_attribute_is_unknown_not_a_crash():
    result = ev_value("{ x = { a = 1; }; y = { a = 1; a = 2; }; }")
    assert result["x"] == {"a": 1}
    assert isinstance(result["y"], Unknown) and "already defined" in result["y"].reason


def test_dynamic_attribute_names():
    result = ev_value('let n = "x"; m = null; in { "${n}1" = 1; ${n} = 2; "plain" = 3; ${m} = 4; }')
    assert result == {"x1": 1, "x": 2, "plain": 3}


def test_let_inherit_and_inherit_from():
    text = "let s = { a = 1; b = 2; }; c = 3; in let inherit (s) a b; inherit c; in [ a b c ]"
    assert ev_value(text) == [1, 2, 3]


def test_inherit_in_rec_looks_outward():
    assert ev_value("let x = 1; in rec { inherit x; y = x + 1; }") == {"x": 1, "y": 2}


def test_with_does_not_shadow_lexical_bindings():
    text = "let a = 1; in with { a = 2; b = 3; }; with { b = 4; }; [ a b true ]"
    assert ev_value(text) == [1, 4, True]


def test_with_an_unknown_scope_gives_unknown_names():
    result, ev = value_of("{ pkgs }: with pkgs; [ git ]")
    listed = to_python(ev.call(ev.eval_file("test.nix"), {"pkgs": Unknown("pkgs", "caller")}))
    assert isinstance(listed[0], Unknown) and listed[0].reason == "pkgs"


def test_select_or_default_and_has_attr():
    text = "let s = { a.b = 1; }; in [ (s.a.b or 0) (s.a.c or 0) (s.x.y or 5) (s ? a.b) (s ? a.c) (s ? x.y) (1 ? a) ]"
    assert ev_value(text) == [1, 0, 5, True, False, False, False]


def test_missing_attribute_is_unknown():
    result = ev_value("let s = { a = 1; }; in s.b")
    assert isinstance(result, Unknown)
    assert result.reason == "attribute 'b' missing"
    assert result.where == "test.nix:1:24"


def test_legacy_let():
    assert ev_value("let { a = 2; body = a * 3; }") == 6


# -- functions ------------------------------------------------------------------------------------------------

def test_formals_defaults_may_refer_to_each_other_and_at_binding():
    text = """
      let f = { a, b ? a + 1, ... }@args: [ a b (args.b or "none") (builtins.attrNames args) ];
          g = args@{ x ? 10 }: [ x (args ? x) ];
      in (f { a = 1; z = 0; }) ++ (g { })
    """
    assert ev_value(text) == [1, 2, "none", ["a", "z"], 10, False]


def test_missing_argument_is_unknown_without_warning():
    result, ev = value_of("{ desktop, lib }: lib.optional (desktop != null) ./desktop.nix",
                          files={"desktop.nix": "{}"})
    fn = ev.eval_file("test.nix")
    items = to_python(ev.call(fn, {"lib": ev.lib}))
    assert len(items) == 1
    (item,) = items
    assert isinstance(item, Conditional)
    assert item.condition == "desktop != null"
    assert item.where == "test.nix:1:33"
    assert item.value == NixPath("desktop.nix")
    assert ev.warnings == []


def test_known_condition_gives_plain_list():
    text = """
      { lib }: let desktop = null; wm = "sway"; in
        (lib.optional (desktop != null) ./a.nix) ++ (lib.optional (wm != null) ./b.nix)
        ++ lib.optionals true [ 1 2 ] ++ lib.optionals false [ 3 ]
    """
    ev = make({"test.nix": text})
    assert to_python(ev.call(ev.eval_file("test.nix"), {"lib": ev.lib})) == [NixPath("b.nix"), 1, 2]


def test_if_with_unknown_condition_keeps_both_branches():
    ev = make({"test.nix": "{ config }: if config.enable then [ ./a.nix ] else [ ./b.nix ]"})
    result = ev.call(ev.eval_file("test.nix"), {"config": Unknown("config is not evaluated", "caller")})
    assert isinstance(result, Unknown)
    assert result.reason == "config is not evaluated"
    assert result.condition == "config.enable"
    assert result.condition_where == "test.nix:1:16"
    assert [to_python(t) for t in result.alternatives] == [[NixPath("a.nix")], [NixPath("b.nix")]]


def test_concatenating_an_unknown_if_gives_conditional_items():
    ev = make({"test.nix": "{ c }: [ 1 ] ++ (if c then [ 2 ] else [ 3 ])"})
    items = to_python(ev.call(ev.eval_file("test.nix"), {"c": Unknown("c")}))
    assert items[0] == 1
    assert [(i.condition, i.value) for i in items[1:]] == [("c", 2), ("!(c)", 3)]


def test_logic_with_unknown_operands():
    ev = make({"test.nix": "{ u }: [ (false && u) (u || true) (u && true) (true -> u) ]"})
    result = to_python(ev.call(ev.eval_file("test.nix"), {"u": Unknown("u")}))
    assert result[:2] == [False, True]
    assert isinstance(result[2], Unknown) and isinstance(result[3], Unknown)


def test_unknown_propagates_with_first_reason():
    ev = make({"test.nix": '{ config }: [ (config.a.b + 1) (config.x == 2) ("${config.y}") (config.f 1) ]'})
    result = to_python(ev.call(ev.eval_file("test.nix"), {"config": Unknown("config", "here:1:1")}))
    assert all(isinstance(v, Unknown) and v.reason == "config" and v.where == "here:1:1" for v in result)


def test_assert_and_throw_and_try_eval():
    text = """{
      failed = assert 1 == 2; "x";
      passed = assert true; "y";
      caught = builtins.tryEval (throw "boom");
      ok = builtins.tryEval 5;
    }"""
    result = ev_value(text)
    assert isinstance(result["failed"], Unknown) and result["failed"].thrown
    assert result["failed"].reason == "assertion '1 == 2' failed"
    assert result["passed"] == "y"
    assert result["caught"] == {"success": False, "value": False}
    assert result["ok"] == {"success": True, "value": 5}


def test_laziness_undemanded_values_are_not_evaluated():
    ev = make({"test.nix": '{ a = 1; b = throw "no"; c = builtins.readFile ./secret; d = import ./missing.nix; }'})
    value = ev.eval_file("test.nix")
    assert value.get("a") == 1
    assert ev.reads == [] and ev.warnings == []


def test_infinite_recursion_is_unknown():
    result, ev = value_of("let x = x + 1; y = { a = y.a; }; in [ x y.a 3 ]")
    assert isinstance(result[0], Unknown) and result[0].reason == "infinite recursion"
    assert isinstance(result[1], Unknown) and result[1].reason == "infinite recursion"
    assert result[2] == 3
    assert any("infinite recursion" in message for _, message in ev.warnings)


def test_unbounded_recursion_is_cut_off():
    result, ev = value_of("let f = n: 1 + f (n + 1); in f 0")
    assert isinstance(result, Unknown)
    assert result.reason == "function calls nested too deeply"


def test_deep_but_finite_recursion_is_evaluated():
    assert ev_value("let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 200") == 200


def test_functor_sets_are_callable():
    assert ev_value("let s = { n = 2; __functor = self: x: self.n * x; }; in s 21") == 42


# -- paths and imports -------------------------------------------------------------------------------------------

def test_relative_paths_resolve_against_the_file():
    files = {"nixos/x.nix": "[ ./. ./a.nix ../home/b.nix ./sub/../c.nix ]"}
    assert ev_value(files["nixos/x.nix"], path="nixos/x.nix") == [
        NixPath("nixos"), NixPath("nixos/a.nix"), NixPath("home/b.nix"), NixPath("nixos/c.nix")]


def test_interpolated_paths_and_path_concatenation():
    text = """
      let hostname = "ripper"; username = "martin"; in [
        ./${hostname}
        ./_mixins/users/${username}/hosts/${hostname}.nix
        (./. + "/_mixins/users/${username}")
        (builtins.pathExists (./. + "/_mixins/users/${username}"))
        (builtins.pathExists ./_mixins/users/nobody)
        (baseNameOf ./_mixins/users) (dirOf ./_mixins/users)
      ]"""
    files = {"nixos/_mixins/users/martin/default.nix": "{}"}
    result, ev = value_of(text, files=files, path="nixos/default.nix")
    assert result == [
        NixPath("nixos/ripper"), NixPath("nixos/_mixins/users/martin/hosts/ripper.nix"),
        NixPath("nixos/_mixins/users/martin"), True, False, "users", NixPath("nixos/_mixins"),
    ]
    assert ("nixos/default.nix", "nixos/_mixins/users/martin", "pathExists") in ev.reads
    assert ("nixos/default.nix", "nixos/_mixins/users/nobody", "pathExists") in ev.reads


def test_path_leaving_the_repository_is_external_with_a_warning():
    result, ev = value_of("[ ../../outside.nix /etc/nixos/hardware-configuration.nix ~/x <nixpkgs> (./. + \"/../up\") ]",
                          path="sub/test.nix")
    outside, absolute, home, channel, appended = result
    assert isinstance(outside, External) and outside.name == "../../outside.nix"
    assert isinstance(absolute, External) and absolute.name == "/etc/nixos/hardware-configuration.nix"
    assert isinstance(home, External) and home.name == "~/x"
    assert channel == External("<nixpkgs>")
    assert isinstance(appended, NixPath) and appended.path == "up"
    messages = dict(ev.warnings)
    assert messages["sub/test.nix:1:3"] == "path ../../outside.nix leaves the repository; it is not followed"
    assert messages["sub/test.nix:1:21"].startswith("path /etc/nixos/hardware-configuration.nix is outside")
    assert messages["sub/test.nix:1:59"] == "path ~/x is outside the repository; it is not read"
    assert len(ev.warnings) == 3  # <nixpkgs> is expected in channel setups, not warned about


def test_path_concatenation_leaving_the_repository():
    result, ev = value_of('./. + "/../../etc"', path="a/test.nix")
    assert isinstance(result, External)
    assert ev.warnings == [("a/test.nix:1:1", "path leaves the repository; it is not followed")]


def test_import_directory_uses_default_nix_and_records_reads():
    files = {"lib/default.nix": "{ x }: { y = x + 1; z = import ./z.nix; }", "lib/z.nix": "7"}
    result, ev = value_of("(import ./lib { x = 1; })", files=files)
    assert result == {"y": 2, "z": 7}
    assert ev.reads == [("test.nix", "lib/default.nix", "import"), ("lib/default.nix", "lib/z.nix", "import")]


def test_each_file_is_parsed_once(monkeypatch):
    calls = []
    real = evaluator_module.parse_bytes

    def counting(data, path):
        calls.append(path)
        return real(data, path)

    monkeypatch.setattr(evaluator_module, "parse_bytes", counting)
    files = {"m.nix": "{ v }: v * 2", "test.nix": "[ (import ./m.nix { v = 1; }) (import ./m.nix { v = 2; }) (import ./m.nix) ]"}
    ev = make(files)
    result = to_python(ev.eval_file("test.nix"))
    assert result[:2] == [2, 4] and isinstance(result[2], Lambda)
    assert sorted(calls) == ["m.nix", "test.nix"]
    assert set(ev.files) == {"m.nix", "test.nix"}
    assert ev.eval_file("m.nix") is ev.eval_file("m.nix")


def test_self_import_is_unknown():
    result, ev = value_of("{ a = (import ./test.nix).a; b = 1; }")
    assert isinstance(result["a"], Unknown) and result["a"].reason == "infinite recursion"
    assert result["b"] == 1


def test_import_of_missing_or_broken_file_is_unknown_with_warning():
    result, ev = value_of("[ (import ./missing.nix) (import ./broken.nix) ]", files={"broken.nix": "{ a = ; }"})
    assert all(isinstance(v, Unknown) for v in result)
    assert ev.warnings[0] == ("test.nix:1:4", "import of ./missing.nix: no such file in the repository")
    assert ev.warnings[1][0] == "test.nix:1:27" and "broken.nix:1:7: syntax error" in ev.warnings[1][1]


def test_eval_file_syntax_error_raises():
    ev = make({"bad.nix": "{ a = ; }"})
    with pytest.raises(NixSyntaxError) as err:
        ev.eval_file("bad.nix")
    assert str(err.value).startswith("bad.nix:1:7: syntax error")


def test_read_file_from_toml_and_json():
    files = {
        "hosts.toml": '[ripper]\nuser = "martin"\ndesktop = "pantheon"\n[trooper]\nuser = "martin"\n',
        "data.json": '{"a": [1, 2.5, null, true]}',
    }
    text = "{ hosts = builtins.fromTOML (builtins.readFile ./hosts.toml); data = builtins.fromJSON (builtins.readFile ./data.json); }"
    result, ev = value_of(text, files=files)
    assert to_python(lib_value("lib.importTOML ./hosts.toml", files)[0]) == result["hosts"]
    assert result == {"hosts": {"ripper": {"user": "martin", "desktop": "pantheon"}, "trooper": {"user": "martin"}},
                      "data": {"a": [1, 2.5, None, True]}}
    assert sorted(ev.reads) == [("test.nix", "data.json", "readFile"), ("test.nix", "hosts.toml", "readFile")]


def test_read_dir_and_gen_attrs_directory_scan():
    files = {
        "hosts/ripper/default.nix": "{}", "hosts/trooper/default.nix": "{}", "hosts/README.md": "",
        "test.nix": """
          { lib }:
          let hosts = lib.attrNames (lib.filterAttrs (n: t: t == "directory") (builtins.readDir ./hosts));
          in lib.genAttrs hosts (name: lib.nixosSystem { modules = [ ./hosts/${name} ]; })
        """,
    }
    ev = make(files)
    result = ev.call(ev.eval_file("test.nix"), {"lib": ev.lib})
    assert sorted(result.attrs) == ["ripper", "trooper"]
    ripper = result.get("ripper")
    assert isinstance(ripper, SystemCall) and ripper.kind == "nixos" and ripper.function == "lib.nixosSystem"
    assert to_python(ripper.args) == {"modules": [NixPath("hosts/ripper")]}
    assert ("test.nix", "hosts", "readDir") in ev.reads


def test_read_dir_reports_symlinks():
    from migrate.snapshot import Snapshot, _Entry
    entries = {
        "test.nix": _Entry("regular", 0, lambda: b"builtins.readDir ./d"),
        "d/file": _Entry("regular", 0, lambda: b""),
        "d/link": _Entry("symlink", 4, lambda: b"file"),
    }
    ev = Evaluator(Snapshot(entries, "mem"))
    assert to_python(ev.eval_file("test.nix")) == {"file": "regular", "link": "symlink"}


# -- externals and system calls ------------------------------------------------------------------------------------

def test_external_selection_concatenation_and_calls():
    ev = make({"test.nix": """
      { inputs, modulesPath }: [
        inputs.nixos-hardware.nixosModules.lenovo-x1
        (modulesPath + "/installer/scan/not-detected.nix")
        "${inputs.home-manager}/nixos"
        (inputs.flake-utils.lib.eachDefaultSystem (s: s) 1)
        (builtins.fetchTarball "https://example.org/x.tar.gz")
        (import "${inputs.home-manager}/nixos")
      ]"""})
    args = {"inputs": ev.flake_inputs(["nixos-hardware", "home-manager", "flake-utils"]),
            "modulesPath": External("modulesPath")}
    hardware, scan, hm, call, fetched, imported = to_python(ev.call(ev.eval_file("test.nix"), args))
    assert hardware == External("inputs.nixos-hardware.nixosModules.lenovo-x1")
    assert scan == External("modulesPath/installer/scan/not-detected.nix")
    assert hm == External("inputs.home-manager/nixos")
    assert isinstance(call, ExternalCall) and call.fn.name == "inputs.flake-utils.lib.eachDefaultSystem"
    assert len(call.args) == 2 and call.args[1] == 1
    assert isinstance(fetched, External) and fetched.name == "fetchTarball(https://example.org/x.tar.gz)"
    assert imported.imported and imported.name == "inputs.home-manager/nixos"
    assert ev.reads == []


def test_import_of_nixpkgs_input_is_a_pkgs_instance():
    ev = make({"test.nix": """
      { nixpkgs, system }: rec {
        pkgs = import nixpkgs { inherit system; config.allowUnfree = true; };
        legacy = nixpkgs.legacyPackages.${system};
        hello = pkgs.hello;
        lib = pkgs.lib.optional true 1;
      }"""})
    result = ev.call(ev.eval_file("test.nix"), {"nixpkgs": External("inputs.nixpkgs"), "system": "x86_64-linux"})
    pkgs = result.get("pkgs")
    assert isinstance(pkgs, PkgsInstance) and pkgs.source.name == "inputs.nixpkgs"
    assert to_python(pkgs.args) == {"system": "x86_64-linux", "config": {"allowUnfree": True}}
    assert result.get("legacy") == External("inputs.nixpkgs.legacyPackages.x86_64-linux")
    assert result.get("hello") == External("pkgs(inputs.nixpkgs).hello")
    assert to_python(result.get("lib")) == [1]


def test_flake_outputs_and_helper_functions_across_files():
    files = {
        "flake.nix": """{
          inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-23.11";
          inputs.home-manager.url = "github:nix-community/home-manager";
          outputs = { self, nixpkgs, ... }@inputs:
            let
              inherit (self) outputs;
              libx = import ./lib { inherit inputs outputs; stateVersion = "23.11"; };
            in {
              homeConfigurations."martin@ripper" = libx.mkHome { hostname = "ripper"; username = "martin"; };
              nixosConfigurations.ripper = libx.mkHost { hostname = "ripper"; installer = ./iso.nix; };
              root = self.outPath;
            };
        }""",
        "lib/default.nix": "{ inputs, outputs, stateVersion }: import ./helpers.nix { inherit inputs outputs stateVersion; }",
        "lib/helpers.nix": """{ inputs, outputs, stateVersion }: {
          mkHome = { hostname, username, desktop ? null, platform ? "x86_64-linux" }:
            inputs.home-manager.lib.homeManagerConfiguration {
              pkgs = inputs.nixpkgs.legacyPackages.${platform};
              extraSpecialArgs = { inherit inputs outputs desktop hostname platform username stateVersion; };
              modules = [ ../home-manager ];
            };
          mkHost = { hostname, installer ? null }: inputs.nixpkgs.lib.nixosSystem {
            specialArgs = { inherit hostname; };
            modules = [ ../nixos ] ++ inputs.nixpkgs.lib.optionals (installer != null) [ installer ];
          };
        }""",
        "iso.nix": "{}",
    }
    ev = make(files)
    outputs = ev.flake_outputs("flake.nix")
    home = ev.select(outputs, "homeConfigurations", "martin@ripper")
    assert isinstance(home, SystemCall) and home.kind == "home"
    assert home.function == "inputs.home-manager.lib.homeManagerConfiguration"
    assert home.where == "lib/helpers.nix:3:13"
    args = home.args
    assert ev.select(args, "pkgs") == External("inputs.nixpkgs.legacyPackages.x86_64-linux")
    assert to_python(ev.select(args, "modules")) == [NixPath("home-manager")]
    special = to_python(ev.select(args, "extraSpecialArgs"), depth=1)
    assert sorted(special) == ["desktop", "hostname", "inputs", "outputs", "platform", "stateVersion", "username"]
    assert [special[k] for k in ("desktop", "hostname", "platform", "stateVersion", "username")] == [
        None, "ripper", "x86_64-linux", "23.11", "martin"]
    assert ev.select(special["inputs"], "nixpkgs") == External("inputs.nixpkgs")
    assert ev.select(special["outputs"], "root") == NixPath("")
    host = ev.select(outputs, "nixosConfigurations", "ripper")
    assert isinstance(host, SystemCall) and host.kind == "nixos"
    assert host.function == "inputs.nixpkgs.lib.nixosSystem"
    assert to_python(ev.select(host.args, "modules")) == [NixPath("nixos"), NixPath("iso.nix")]
    assert [r[:2] for r in ev.reads] == [("flake.nix", "lib/default.nix"), ("lib/default.nix", "lib/helpers.nix")]
    assert ev.warnings == []


def test_darwin_system_call():
    ev = make({"test.nix": "{ darwin }: darwin.lib.darwinSystem { system = \"aarch64-darwin\"; }"})
    result = ev.call(ev.eval_file("test.nix"), {"darwin": External("inputs.darwin")})
    assert isinstance(result, SystemCall) and result.kind == "darwin"
    assert to_python(result.args) == {"system": "aarch64-darwin"}


# -- lib model -------------------------------------------------------------------------------------------------------

def lib_value(text: str, files: dict | None = None, **args):
    ev = make({**(files or {}), "test.nix": "{ lib, ... }: " + text})
    return to_python(ev.call(ev.eval_file("test.nix"), {"lib": ev.lib, **args})), ev


@pytest.mark.parametrize("text, expected", [
    ('lib.mapAttrs\' (n: v: lib.nameValuePair "${n}-x" (v + 1)) { a = 1; b = 2; }', {"a-x": 2, "b-x": 3}),
    ("lib.mapAttrsToList (n: v: n + v) { a = \"1\"; b = \"2\"; }", ["a1", "b2"]),
    ("lib.recursiveUpdate { a = { b = 1; c = 2; }; d = 1; } { a = { b = 3; }; }", {"a": {"b": 3, "c": 2}, "d": 1}),
    ("lib.foldr (x: acc: acc + x) \"\" [ \"a\" \"b\" \"c\" ]", "cba"),
    ("lib.foldl' (acc: x: acc + x) 0 [ 1 2 3 ]", 6),
    ("lib.flatten [ 1 [ 2 [ 3 ] ] [] ]", [1, 2, 3]),
    ("lib.unique [ 1 2 1 3 2 ]", [1, 2, 3]),
    ("lib.hasPrefix \"foo\" \"foobar\"", True),
    ("lib.hasSuffix \".nix\" \"a.nix\"", True),
    ("lib.removePrefix \"foo\" \"foobar\"", "bar"),
    ("lib.removeSuffix \".nix\" \"a.nix\"", "a"),
    ("lib.splitString \"@\" \"martin@ripper\"", ["martin", "ripper"]),
    ("lib.strings.concatStringsSep \",\" [ \"a\" \"b\" ]", "a,b"),
    ("lib.concatMapStringsSep \"-\" toString [ 1 2 ]", "1-2"),
    ("lib.forEach [ 1 2 ] (x: x * 2)", [2, 4]),
    ("lib.imap0 (i: v: i + v) [ 10 20 ]", [10, 21]),
    ("lib.imap1 (i: v: i + v) [ 10 20 ]", [11, 22]),
    ("lib.range 2 5", [2, 3, 4, 5]),
    ("lib.systems.flakeExposed", ["x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin"]),
    ("lib.fix (self: { a = 1; b = self.a + 1; })", {"a": 1, "b": 2}),
    ("[ (lib.const 1 2) (lib.id 3) (lib.flip lib.const 4 5) ]", [1, 3, 5]),
    ("lib.pipe 2 [ (x: x + 1) (x: x * 10) ]", 30),
    # overlays composed as nixpkgs does (values checked with nixpkgs' lib and nix-instantiate)
    ("lib.composeManyExtensions [ (final: prev: { a = 1; b = prev.base; }) "
     "(final: prev: { c = prev.a + 10; b = prev.b + 1; }) ] { } { base = 5; }", {"a": 1, "b": 6, "c": 11}),
    ("lib.fixedPoints.composeExtensions (final: prev: { x = final.y; }) (final: prev: { y = 2; }) { y = 7; } { }",
     {"x": 7, "y": 2}),
    ("lib.composeManyExtensions [ ] { } { base = 1; }", {}),
    ("[ (lib.last [ 1 2 ]) (lib.init [ 1 2 ]) (lib.take 2 [ 1 2 3 ]) (lib.drop 2 [ 1 2 3 ]) ]", [2, [1], [1, 2], [3]]),
    ("lib.attrsets.filterAttrs (n: v: v > 1) { a = 1; b = 2; }", {"b": 2}),
    ("lib.lists.elem 2 [ 1 2 ]", True),
    ("lib.optionalAttrs false { a = 1; } // lib.optionalAttrs true { b = 2; }", {"b": 2}),
    ("lib.optionalString true \"x\" + lib.optionalString false \"y\"", "x"),
    ("lib.attrByPath [ \"a\" \"b\" ] 0 { a.b = 5; }", 5),
    ("lib.versionAtLeast \"23.11\" \"23.05\"", True),
    ("[ (lib.hasInfix \"@\" \"a@b\") (lib.subtractLists [ 1 ] [ 1 2 ]) (lib.intersectLists [ 1 3 ] [ 1 2 3 ]) ]",
     [True, [2], [1, 3]]),
    ("(lib.extend (final: prev: { double = x: x * 2; quad = x: final.double (final.double x); })).quad 3", 12),
    # genAttrs' keeps the first of a name, mergeAttrsList the last (`//` from the left)
    ("lib.genAttrs' [ \"a\" \"b\" \"a\" ] (x: lib.nameValuePair \"${x}-u\" x)", {"a-u": "a", "b-u": "b"}),
    ("lib.attrsets.mergeAttrsList [ { a = 1; b = 1; } { b = 2; } { c = 3; } ]", {"a": 1, "b": 2, "c": 3}),
])
def test_lib_functions(text, expected):
    assert lib_value(text)[0] == expected


def test_list_files_recursive_and_clean_source():
    files = {"modules/a.nix": "", "modules/sub/b.nix": "", "modules/sub/c.txt": ""}
    result, ev = lib_value("[ (lib.filesystem.listFilesRecursive ./modules) (lib.cleanSource ./modules) ]", files)
    assert result == [[NixPath("modules/a.nix"), NixPath("modules/sub/b.nix"), NixPath("modules/sub/c.txt")],
                      NixPath("modules")]


def test_optional_attrs_with_unknown_condition_wraps_values():
    result, ev = lib_value("lib.optionalAttrs cfg.enable { a = 1; }", cfg=Unknown("cfg"))
    (name, value), = result.items()
    assert name == "a" and isinstance(value, Conditional)
    assert value.condition == "cfg.enable" and value.value == 1


def test_module_wrappers():
    text = """{
      a = lib.mkIf config.x.enable { y = 1; };
      b = lib.mkMerge [ { c = 1; } (lib.mkIf true { d = 2; }) ];
      c = lib.mkDefault "x";
      d = lib.mkForce 1;
      e = lib.mkOverride 900 2;
      f = lib.mkAfter [ 3 ];
      g = lib.mkEnableOption "thing";
    }"""
    ev = make({"test.nix": "{ lib, config, ... }: " + text})
    result = ev.call(ev.eval_file("test.nix"), {"lib": ev.lib, "config": Unknown("config")})
    mk_if = result.get("a")
    assert isinstance(mk_if, MkIf) and isinstance(mk_if.condition, Unknown)
    assert mk_if.condition_text == "config.x.enable" and to_python(mk_if.value) == {"y": 1}
    merge = result.get("b")
    assert isinstance(merge, MkMerge) and len(merge.items) == 2 and isinstance(merge.items[1], MkIf)
    assert merge.items[1].condition is True
    assert [(o.kind, o.priority, to_python(o.value)) for o in map(result.get, "cdef")] == [
        ("mkDefault", 1000, "x"), ("mkForce", 50, 1), ("mkOverride", 900, 2), ("mkAfter", 1500, [3])]
    assert isinstance(result.get("g"), Unknown)


def test_unmodelled_lib_function_is_external_and_unknown_when_applied():
    result, ev = lib_value("[ lib.someFancyThing (lib.someFancyThing 1) (lib.strings.fancy 2) ]")
    assert isinstance(result[0], External) and result[0].name == "lib.someFancyThing"
    assert isinstance(result[1], Unknown) and result[1].reason == "lib.someFancyThing is not modelled by the analysis"
    assert result[2].reason == "lib.strings.fancy is not modelled by the analysis"


def test_lib_via_flake_input_uses_the_model():
    ev = make({"test.nix": "{ nixpkgs }: [ (nixpkgs.lib.optional true 1) (nixpkgs.lib.genAttrs [ \"a\" ] (x: x)) nixpkgs.lib.fancy ]"})
    result = to_python(ev.call(ev.eval_file("test.nix"), {"nixpkgs": External("inputs.nixpkgs")}))
    assert result == [[1], {"a": "a"}, External("inputs.nixpkgs.lib.fancy")]


def test_with_lib_finds_modelled_names_only():
    result, ev = lib_value("with lib; let optional = 5; in [ optional (mkDefault 2) (hasPrefix \"a\" \"ab\") ]")
    assert result[0] == 5 and result[2] is True
    assert isinstance(result[1], MkOverride) and result[1].priority == 1000


def test_map_keeps_conditionals():
    result, ev = lib_value("map (x: x + 1) (lib.optional c 1)", c=Unknown("c"))
    assert len(result) == 1 and isinstance(result[0], Conditional) and result[0].value == 2


# -- builtins -------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ('builtins.match "([a-z]+)@([[:alnum:]-]+)" "martin@ripper-2"', ["martin", "ripper-2"]),
    ('builtins.match "a(b)?c" "ac"', [None]),
    ('builtins.match "x" "xy"', None),
    ('builtins.split "(,)" "a,b"', ["a", [","], "b"]),
    ('builtins.replaceStrings [ "@" "." ] [ "-at-" "" ] "a@b.c"', "a-at-bc"),
    ('builtins.substring 1 3 "abcdef"', "bcd"),
    ('builtins.substring 2 (-1) "abcd"', "cd"),
    ('builtins.stringLength "héllo"', 6),
    ('builtins.concatStringsSep "/" [ "a" "b" ]', "a/b"),
    ('builtins.toJSON { b = [ 1 null "x" ]; a = true; }', '{"a":true,"b":[1,null,"x"]}'),
    ("map builtins.typeOf [ 1 1.0 \"s\" ./x null true [] {} (x: x) map ]",
     ["int", "float", "string", "path", "null", "bool", "list", "set", "lambda", "lambda"]),
    ("builtins.functionArgs ({ a, b ? 1 }: a)", {"a": False, "b": True}),
    ("builtins.listToAttrs [ { name = \"a\"; value = 1; } { name = \"a\"; value = 2; } ]", {"a": 1}),
    ("builtins.removeAttrs { a = 1; b = 2; } [ \"a\" ]", {"b": 2}),
    ("builtins.intersectAttrs { a = 0; } { a = 1; b = 2; }", {"a": 1}),
    ("builtins.catAttrs \"a\" [ { a = 1; } { b = 2; } { a = 3; } ]", [1, 3]),
    ("builtins.genList (i: i * i) 4", [0, 1, 4, 9]),
    ("builtins.elemAt [ 1 2 3 ] 1", 2),
    ("[ (builtins.head [ 1 2 ]) (builtins.tail [ 1 2 ]) (builtins.length [ 1 2 ]) ]", [1, [2], 2]),
    ("builtins.concatLists [ [ 1 ] [ 2 3 ] ]", [1, 2, 3]),
    ("builtins.concatMap (x: [ x x ]) [ 1 2 ]", [1, 1, 2, 2]),
    ("builtins.sort builtins.lessThan [ 3 1 2 ]", [1, 2, 3]),
    ("builtins.filter (x: x > 1) [ 1 2 3 ]", [2, 3]),
    ("builtins.attrValues { b = 2; a = 1; }", [1, 2]),
    ("[ (builtins.hasAttr \"a\" { a = 1; }) (builtins.getAttr \"a\" { a = 1; }) ]", [True, 1]),
    ("builtins.mapAttrs (n: v: n + v) { a = \"1\"; }", {"a": "a1"}),
    ("[ (toString 1) (toString true) (toString null) (toString [ 1 \"a\" ]) (toString 1.5) ]",
     ["1", "1", "", "1 a", "1.500000"]),
    # a space after each item but the last, unless the item is an empty list (nix-instantiate 2.8)
    ("[ (toString [ 0 [ ] ]) (toString [ [ ] 0 ]) (toString [ 0 [ [ ] ] 1 ]) (toString [ [ ] ]) ]",
     ["0 ", "0", "0  1", ""]),
    ("[ (builtins.seq 1 2) (builtins.deepSeq [ 1 ] 3) (builtins.trace \"msg\" 4) ]", [2, 3, 4]),
    ("[ (isNull null) (builtins.isAttrs {}) (builtins.isList []) (builtins.isFunction map) (builtins.isPath ./.) ]",
     [True, True, True, True, True]),
    ("builtins.compareVersions \"1.2.3\" \"1.10\"", -1),
    ('__curPos.line', 1),
])
def test_builtins(text, expected):
    assert ev_value(text) == expected


def test_environment_dependent_builtins_are_unknown():
    result = ev_value('[ builtins.currentSystem (builtins.getEnv "HOME") (derivation { }) ]')
    assert all(isinstance(v, Unknown) for v in result)


def test_internal_error_becomes_unknown_with_warning(monkeypatch):
    from migrate.analyze import operations

    def broken(*args):
        raise RuntimeError("bug")

    monkeypatch.setattr(operations, "arithmetic", broken)
    result, ev = value_of("{ a = 2 * 3; b = 1; }")
    assert result["b"] == 1
    assert isinstance(result["a"], Unknown)
    assert ev.warnings == [("test.nix:1:7", "analysis error (RuntimeError: bug)")]


def test_select_api_defaults():
    ev = make({"test.nix": "{ a.b = 1; }"})
    value = ev.eval_file("test.nix")
    assert ev.select(value, "a", "b") == 1
    assert ev.select(value, "a", "c", default=None) is None
    missing = ev.select(value, "x")
    assert isinstance(missing, Unknown) and missing.reason == "attribute 'x' missing"


def test_merged_libs_keep_system_builders_and_the_model():
    ev = make({"test.nix": """
      { nixpkgs, home-manager }:
      let lib = nixpkgs.lib // home-manager.lib; in {
        host = lib.nixosSystem { modules = [ ]; };
        home = lib.homeManagerConfiguration { modules = [ ]; };
        dag = lib.hm.dag.entryAfter;
        opt = lib.optional true 1;
        mine = (nixpkgs.lib // { double = x: x * 2; }).double 4;
      }"""})
    result = ev.call(ev.eval_file("test.nix"), {"nixpkgs": External("inputs.nixpkgs"),
                                                "home-manager": External("inputs.home-manager")})
    host, home = result.get("host"), result.get("home")
    assert (host.kind, host.function) == ("nixos", "inputs.nixpkgs.lib.nixosSystem")
    assert (home.kind, home.function) == ("home", "inputs.home-manager.lib.homeManagerConfiguration")
    assert result.get("dag") == External("inputs.home-manager.lib.hm.dag.entryAfter")
    assert to_python(result.get("opt")) == [1]
    assert result.get("mine") == 8


def test_selected_externals_remember_where_they_were_written():
    ev = make({"flake.nix": "{ inputs }: {\n  modules = [\n    inputs.nixvim.homeModules.nixvim\n  ];\n}"})
    result = ev.call(ev.eval_file("flake.nix"), {"inputs": ev.flake_inputs(["nixvim"])})
    (module,) = to_python(result.get("modules"))
    assert module.name == "inputs.nixvim.homeModules.nixvim"
    assert (module.text, module.where) == ("inputs.nixvim.homeModules.nixvim", "flake.nix:3:5")


def test_eval_expr_with_a_dict_environment_and_force_deep():
    ev = make({"m.nix": "{ x = a + 1; y = [ b ]; }"})
    node = ev.parse("m.nix").expression
    value = ev.eval_expr(node, {"a": 1, "b": NixPath("z")}, "m.nix")
    assert isinstance(value, AttrSet) and not value.attrs["x"].is_forced
    assert ev.force_deep(value) is value
    assert value.attrs["x"].is_forced and value.attrs["x"].value == 2
    assert to_python(value) == {"x": 2, "y": [NixPath("z")]}


def test_channel_style_configuration():
    files = {
        "configuration.nix": """{ config, pkgs, ... }:
          let
            home-manager = builtins.fetchTarball "https://github.com/nix-community/home-manager/archive/release-23.11.tar.gz";
            unstable = import <nixos-unstable> { config = config.nixpkgs.config; };
          in {
            imports = [ ./hardware-configuration.nix <home-manager/nixos> (import "${home-manager}/nixos") ];
            home-manager.users.martin = import ./home.nix;
            environment.systemPackages = [ unstable.firefox ];
            system.stateVersion = "23.11";
          }""",
        "hardware-configuration.nix": "{ }",
        "home.nix": "{ pkgs, ... }: { home.stateVersion = \"23.11\"; }",
    }
    ev = make(files)
    module = ev.call(ev.eval_file("configuration.nix"), {"config": Unknown("config"), "pkgs": Unknown("pkgs")})
    hardware, channel, fetched = to_python(ev.select(module, "imports"))
    assert hardware == NixPath("hardware-configuration.nix")
    assert channel == External("<home-manager/nixos>")
    assert fetched.imported and fetched.name.startswith("fetchTarball(https://github.com/nix-community/")
    assert fetched.name.endswith(".tar.gz)/nixos")
    user = ev.select(module, "home-manager", "users", "martin")
    assert isinstance(user, Lambda) and user.file == "home.nix" and user.formal_names() == ["pkgs"]
    (firefox,) = to_python(ev.select(module, "environment", "systemPackages"))
    assert firefox == External("pkgs(<nixos-unstable>).firefox")
    assert ev.select(module, "system", "stateVersion") == "23.11"
    assert ev.warnings == []


def test_homes_style_directory_scan_with_map_attrs_prime():
    files = {
        "homes/martin/default.nix": "{}",
        "homes/martin@global/default.nix": "{}",
        "homes/martin@ripper/default.nix": "{}",
        "flake.nix": """{ lib, hm }:
          let
            entries = lib.filterAttrs (name: _: !(lib.hasInfix "." name)) (builtins.readDir ./homes);
          in lib.mapAttrs' (name: _: lib.nameValuePair (builtins.replaceStrings [ "@global" ] [ "" ] name)
                 (hm.lib.homeManagerConfiguration { modules = [ ./homes/${name} ]; })) entries""",
    }
    ev = make(files)
    result = ev.call(ev.eval_file("flake.nix"), {"lib": ev.lib, "hm": External("inputs.home-manager")})
    assert sorted(result.attrs) == ["martin", "martin@ripper"]
    # "martin" and "martin@global" collide after renaming; the first in name order wins, like listToAttrs.
    assert to_python(ev.select(result.get("martin").args, "modules")) == [NixPath("homes/martin")]
    assert to_python(ev.select(result.get("martin@ripper").args, "modules")) == [NixPath("homes/martin@ripper")]


def test_quietly_forgets_warnings_so_the_analysis_still_reports_them():
    from migrate.analyze.evaluator import Evaluator
    from migrate.snapshot import from_mapping

    seen = []
    ev = Evaluator(from_mapping({"a.nix": "import ../outside.nix\n"}), warn=lambda where, message: seen.append(message))
    node = ev.parse("a.nix").expression
    with ev.quietly():
        ev.eval_expr(node, None, "a.nix")
    assert seen == [] and ev.warnings == []
    ev.eval_expr(node, None, "a.nix")
    assert len(seen) == 1 and "leaves the repository" in seen[0]
    assert len(ev.warnings) == 1
