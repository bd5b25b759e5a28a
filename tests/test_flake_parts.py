"""Flakes whose outputs a function computes: flake-parts' mkFlake (a module evaluation),
import-tree, flake-utils' eachDefaultSystem, sets merged or inherited from helper files.
Each migration here is planned and verified by the tool itself (the planned tree is
analysed again and must be equivalent); tests/test_migrated_eval.py evaluates the
bundled samples with real Nix."""

from __future__ import annotations

import pytest

from migrate.analyze.analysis import analyze
from migrate.analyze.evaluator import Evaluator
from migrate.analyze.values import AttrSet, SystemCall, Unknown, unwrap
from migrate.errors import MigrateError
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_mapping
from migrate.verify import verify
from nixcheck import requires_nix

INPUTS = """  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-parts.url = "github:hercules-ci/flake-parts";
    import-tree.url = "github:vic/import-tree";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };
"""
HOST = '{ ... }: { users.users.ana.isNormalUser = true; system.stateVersion = "24.11"; }\n'
HOME = '{ ... }: { programs.git.enable = true; home.stateVersion = "24.11"; }\n'


def flake(outputs: str) -> str:
    return "{\n" + INPUTS + f"  outputs = {outputs};\n}}\n"


def migrated(files: dict):
    snapshot = from_mapping({k: v.encode() for k, v in files.items()})
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis))
    assert verify(analysis, plan) == []
    return analysis, plan


def text(plan, path: str) -> str:
    return bytes(plan.tree[path]).decode()


def outputs_of(files: dict):
    evaluator = Evaluator(from_mapping({k: v.encode() for k, v in files.items()}))
    return evaluator, evaluator.flake_outputs("flake.nix")


# -- the module evaluation ----------------------------------------------------------------


def test_definitions_from_several_modules_merge_with_priorities_and_self():
    files = {
        "flake.nix": flake("inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./a.nix ./b.nix ]; }"),
        "a.nix": """{ lib, self, ... }: {
  flake.nixosConfigurations.one = self.lib.build "one";
  flake.greeting = lib.mkDefault "hello";
  flake.tags = [ "a" ];
  _module.args.suffix = "!";
}""",
        "b.nix": """{ inputs, lib, suffix, ... }: {
  flake.nixosConfigurations.two = inputs.nixpkgs.lib.nixosSystem { modules = [ ]; };
  flake.greeting = "hi" + suffix;
  flake.tags = lib.mkIf true [ "b" ];
  flake.lib.build = name: inputs.nixpkgs.lib.nixosSystem { modules = [ ]; };
  flake.modules.nixos.base = { imports = [ ./x.nix ]; };
  imports = [ ./c.nix ];
}""",
        "c.nix": "{ flake.modules.nixos.base = { config, ... }: { }; }",
        "x.nix": "{ }",
    }
    evaluator, outputs = outputs_of(files)
    hosts = evaluator.select(outputs, "nixosConfigurations")
    assert sorted(hosts.names()) == ["one", "two"]
    assert all(isinstance(evaluator.select(hosts, n), SystemCall) for n in ("one", "two"))
    # each host keeps where the user wrote it
    assert hosts.attrs["one"].where() == "a.nix:2:35"
    assert evaluator.select(outputs, "greeting") == "hi!"  # mkDefault loses to a plain definition
    assert [unwrap(t.force()) for t in evaluator.select(outputs, "tags").items] == ["a", "b"]
    base = evaluator.select(outputs, "modules", "nixos", "base")
    assert isinstance(base, AttrSet) and len(base["imports"]) == 2  # a deferred module gathers both


def test_per_system_outputs_with_system_and_import_tree():
    files = {
        "flake.nix": flake("inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } (inputs.import-tree ./parts)"),
        "parts/systems.nix": '{ systems = [ "x86_64-linux" "aarch64-darwin" ]; }',
        "parts/homes.nix": """{ inputs, ... }: {
  perSystem = { pkgs, system, ... }: {
    legacyPackages.homeConfigurations.${"me-" + system} = inputs.home-manager.lib.homeManagerConfiguration {
      inherit pkgs;
      modules = [ ../home.nix ];
    };
  };
}""",
        "parts/host.nix": """{ inputs, withSystem, ... }: {
  flake.nixosConfigurations.box = withSystem "x86_64-linux" ({ pkgs, system, ... }:
    inputs.nixpkgs.lib.nixosSystem { inherit system; modules = [ ../host.nix { nixpkgs.pkgs = pkgs; } ]; });
}""",
        "parts/_ignored/notes.nix": '"import-tree skips what starts with an underscore"',
        "home.nix": HOME,
        "host.nix": HOST,
    }
    evaluator, outputs = outputs_of(files)
    assert evaluator.import_trees == {"parts"}
    assert not any(path == "parts/_ignored/notes.nix" for _reader, path, _kind in evaluator.reads)
    homes = evaluator.select(outputs, "legacyPackages", "aarch64-darwin", "homeConfigurations")
    assert homes.names() == ["me-aarch64-darwin"]
    box = evaluator.select(outputs, "nixosConfigurations", "box")
    assert isinstance(box, SystemCall) and evaluator.select(box.args, "system") == "x86_64-linux"
    analysis = analyze(from_mapping({k: v.encode() for k, v in files.items()}))
    assert sorted(analysis.homes) == ["me-aarch64-darwin", "me-x86_64-linux"]
    assert analysis.hosts["box"].system == "x86_64-linux"


def test_a_flake_module_from_an_input_is_named_when_nothing_else_defines_the_hosts():
    files = {
        "flake.nix": flake("inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } "
                           "{ imports = [ inputs.clan.flakeModules.default ]; }").replace(
                               "  inputs = {", '  inputs = {\n    clan.url = "git+https://git.clan.lol/clan/clan-core";'),
    }
    with pytest.raises(MigrateError) as error:
        analyze(from_mapping({k: v.encode() for k, v in files.items()}))
    message = str(error.value)
    assert "defines neither nixosConfigurations nor homeConfigurations" in message
    assert "flake module inputs.clan.flakeModules.default (flake.nix:9) may define them" in message


# -- the edits ------------------------------------------------------------------------------


def test_import_tree_flake_gets_mkhost_and_nothing_moves_into_the_tree():
    files = {
        "flake.nix": flake("inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } (inputs.import-tree ./modules)"),
        "modules/hosts.nix": """{ inputs, ... }: {
  flake.nixosConfigurations.box = inputs.nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ../machines/box ];
  };
}""",
        "modules/homes.nix": """{ inputs, ... }:
let
  pkgs = import inputs.nixpkgs { system = "x86_64-linux"; };
in
{
  flake.homeConfigurations."ana@box" = inputs.home-manager.lib.homeManagerConfiguration {
    inherit pkgs;
    extraSpecialArgs = { inherit pkgs; };
    modules = [ ../users/ana/home.nix ];
  };
}""",
        "users/ana/home.nix": HOME,
        "machines/box/default.nix": HOST,
    }
    _analysis, plan = migrated(files)
    top = text(plan, "flake.nix")
    # the host's own call gets Home Manager: no wrapper, so the top module stays as written
    assert "outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } (inputs.import-tree ./modules);" in top
    assert "_module.args" not in top  # the host's own call gets Home Manager: no helper to share
    hosts = text(plan, "modules/hosts.nix")
    assert hosts.startswith("{ inputs, ... }: {")
    assert "flake.nixosConfigurations.box = inputs.nixpkgs.lib.nixosSystem {" in hosts
    assert "      inputs.home-manager.nixosModules.home-manager\n" in hosts
    # the let-bound pkgs is carried where the host is, as written
    assert 'pkgs = import inputs.nixpkgs { system = "x86_64-linux"; };' in hosts
    # import-tree takes every .nix file under modules/ as a flake module: the home stays out
    assert not any(m.new.startswith("modules/") for m in plan.moves)
    assert "users/ana/home.nix" not in {m.old for m in plan.moves}
    assert {m.old: m.new for m in plan.moves}["machines/box/default.nix"] == "hosts/box/default.nix"


@pytest.mark.parametrize("source, expected", [
    ("_: {\n  x = 1;\n}\n", "{ mkHost, ... }: {\n  x = 1;\n}\n"),
    ("{\n  x = 1;\n}\n", "{ mkHost, ... }:\n{\n  x = 1;\n}\n"),
    ("{ inputs, ... }: { x = 1; }\n", "{ inputs, mkHost, ... }: { x = 1; }\n"),
])
def test_a_flake_module_is_made_to_ask_for_a_module_argument(source, expected):
    from migrate.nix.parse import parse_text
    from migrate.plan.file_edits import FileEditor
    from migrate.plan.module_sites import ModuleArgs, module_function

    editor = FileEditor(parse_text(source, "m.nix"))
    args = ModuleArgs(editor, module_function(editor.nix), "m.nix")
    assert args.require("mkHost")
    args.finish()
    assert editor.changes.apply().text == expected


def test_a_module_taking_its_arguments_as_one_name_cannot_be_given_more():
    from migrate.nix.parse import parse_text
    from migrate.plan.file_edits import FileEditor
    from migrate.plan.module_sites import ModuleArgs, module_function

    editor = FileEditor(parse_text("args: { x = args.inputs; }\n", "m.nix"))
    assert not ModuleArgs(editor, module_function(editor.nix), "m.nix").require("mkHost")


def test_the_helper_name_is_free_in_every_module_that_uses_it():
    files = {
        "flake.nix": flake("""inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./hosts.nix ./homes.nix ]; }"""),
        "hosts.nix": """{ inputs, ... }:
let
  # the user's own helper, same name as our wrapper
  withHomeManager = name: inputs.nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./machines/${name} ]; };
in
{
  flake.nixosConfigurations = {
    one = withHomeManager "one";
    two = withHomeManager "two";
  };
}""",
        "homes.nix": """{ inputs, ... }: {
  flake.homeConfigurations."ana@one" = inputs.home-manager.lib.homeManagerConfiguration {
    pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
    modules = [ ./home.nix ];
  };
}""",
        "home.nix": HOME,
        "machines/one/default.nix": HOST,
        "machines/two/default.nix": HOST,
    }
    _analysis, plan = migrated(files)
    hosts = text(plan, "hosts.nix")
    assert hosts.startswith("{ inputs, addHomeManager, ... }:")
    assert 'one = addHomeManager (withHomeManager "one") {' in hosts
    assert "_module.args.addHomeManager = addHomeManager;" in text(plan, "flake.nix")
    homes = text(plan, "homes.nix")
    assert "ana@one" not in homes


# -- helpers, merged sets, inherited sets, eachDefaultSystem -----------------------------------


HELPERS_FLAKE = """{
  inputs.nixpkgs-stable.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.hm.url = "github:nix-community/home-manager/release-24.11";
  inputs.flake-utils.url = "github:numtide/flake-utils";
  outputs = { self, nixpkgs-stable, hm, flake-utils, ... }@inputs:
    let
      lib = builtins.removeAttrs nixpkgs-stable.lib [ "nixosModules" ];
    in
    {
      inherit (import ./hosts { inherit lib; }) nixosConfigurations;
    }
    // flake-utils.lib.eachDefaultSystem (system: {
      packages.homeConfigurations = {
        "ana@box" = hm.lib.homeManagerConfiguration {
          pkgs = nixpkgs-stable.legacyPackages.${system};
          modules = [ ./home.nix ];
        };
      };
    });
}
"""


def test_inherited_hosts_and_per_system_homes_are_edited_where_they_are_written():
    files = {
        "flake.nix": HELPERS_FLAKE,
        "hosts/default.nix": """{ lib }:
{
  nixosConfigurations = lib.mergeAttrsList [
    { box = lib.nixosSystem { system = "x86_64-linux"; modules = [ ./box.nix ]; }; }
    { idle = lib.nixosSystem { system = "x86_64-linux"; modules = [ ./idle.nix ]; }; }
  ];
}""",
        "hosts/box.nix": HOST,
        "hosts/idle.nix": HOST,
        "home.nix": HOME,
    }
    analysis, plan = migrated(files)
    assert analysis.homes["ana@box"].set_where.startswith("flake.nix:")
    top = text(plan, "flake.nix")
    assert "      nixosConfigurations =\n        let\n" in top
    assert ") (import ./hosts { inherit lib; }).nixosConfigurations;" in top
    # the only home migrates: its entry becomes a comment, inside eachDefaultSystem
    assert "ana@box" not in top
    assert "inputs.hm.nixosModules.home-manager" not in top and "hm.nixosModules.home-manager" in top


def test_inherited_homes_that_all_migrate_leave_the_inherit_as_a_comment():
    files = {
        "flake.nix": """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  outputs = { nixpkgs, home-manager, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./box.nix ]; };
    inherit (import ./homes.nix { inherit nixpkgs home-manager; }) homeConfigurations;
  };
}""",
        "homes.nix": """{ nixpkgs, home-manager }: {
  homeConfigurations = nixpkgs.lib.genAttrs [ "box" ] (name: home-manager.lib.homeManagerConfiguration {
    pkgs = nixpkgs.legacyPackages.x86_64-linux;
    modules = [ ./home.nix ];
  });
}""",
        "box.nix": HOST,
        "home.nix": HOME,
    }
    _analysis, plan = migrated(files)
    top = text(plan, "flake.nix")
    assert ("    # hm-migrate: box: Home Manager now runs as a NixOS module on box; it was inherited here:\n"
            "    # inherit (import ./homes.nix { inherit nixpkgs home-manager; }) homeConfigurations;") in top
    assert "box = nixpkgs.lib.nixosSystem { system = \"x86_64-linux\"; modules = [\n" in top


def test_remove_attrs_over_an_input_value_keeps_answering_the_other_names():
    files = {"flake.nix": flake("""{ nixpkgs, ... }:
    let lib = builtins.removeAttrs nixpkgs.lib [ "nixosSystem" ]; in {
      hasIt = lib ? nixosSystem;
      one = lib.optional true 1;
    }""")}
    evaluator, outputs = outputs_of(files)
    assert evaluator.select(outputs, "hasIt") is False
    assert len(evaluator.select(outputs, "one")) == 1
    assert isinstance(evaluator.select(outputs, "missing"), Unknown)


# -- real Nix, stub inputs --------------------------------------------------------------------

TREE_FLAKE = """{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-parts.url = "github:hercules-ci/flake-parts";
    import-tree.url = "github:vic/import-tree";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };
  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } (inputs.import-tree ./parts);
}
"""
TREE_FILES = {
    "flake.nix": TREE_FLAKE,
    "parts/systems.nix": '{ systems = [ "x86_64-linux" ]; }\n',
    # one file per machine, as dendritic setups have it
    "parts/hosts/box.nix": """{ inputs, ... }: {
  flake.nixosConfigurations.box = inputs.nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs; };
    modules = [ ../../machines/box ];
  };
}
""",
    "parts/hosts/idle.nix": """{ inputs, ... }: {
  flake.nixosConfigurations.idle = inputs.nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ../../machines/idle ];
  };
}
""",
    "parts/homes.nix": """{ inputs, withSystem, ... }: {
  flake.homeConfigurations."ana@box" = withSystem "x86_64-linux" ({ pkgs, ... }:
    inputs.home-manager.lib.homeManagerConfiguration {
      inherit pkgs;
      extraSpecialArgs = { inherit inputs; };
      modules = [ ../users/ana ];
    });
}
""",
    # import-tree leaves out what starts with `_`: loaded as a module, this would fail
    "parts/_lib/helper.nix": "x: x + 1\n",
    "machines/box/default.nix": HOST,
    "machines/idle/default.nix": HOST,
    "users/ana/default.nix": "{ ... }: { imports = [ ./git.nix ]; home.stateVersion = \"24.11\"; }\n",
    "users/ana/git.nix": "{ programs.git.enable = true; }\n",
}


@requires_nix
def test_an_import_tree_flake_evaluates_the_same_after_migration(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from flake_eval import evaluate_repo

    repo = tmp_path / "repo"
    for path, content in TREE_FILES.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(content)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--out", str(out), "--no-color"],
                            capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr
    box = (out / "parts/hosts/box.nix").read_text()
    assert "inputs.home-manager.nixosModules.home-manager" in box and "withHomeManager" not in box
    idle = (out / "parts/hosts/idle.nix").read_text()  # no user there: only its path follows the move
    assert idle == TREE_FILES["parts/hosts/idle.nix"].replace("../../machines/idle", "../../hosts/idle")
    before, after = evaluate_repo(repo), evaluate_repo(out)
    moved = {"machines/box/default.nix": "hosts/box/default.nix", "machines/idle/default.nix": "hosts/idle/default.nix",
             "users/ana/default.nix": "modules/home/ana/default.nix", "users/ana/git.nix": "modules/home/ana/git.nix"}
    for host in ("box", "idle"):
        assert after["nixos"][host]["modules"] == sorted(moved.get(p, p) for p in before["nixos"][host]["modules"])
    assert after["nixos"]["idle"]["home_manager"] is None
    user = after["nixos"]["box"]["home_manager"]["users"]["ana"]
    assert before["home"]["ana@box"]["modules"] == ["users/ana/default.nix", "users/ana/git.nix"]
    assert user["modules"] == ["modules/home/ana/default.nix", "modules/home/ana/git.nix"]
    assert after["nixos"]["box"]["home_manager"]["extra_special_args"] == ["inputs"]
    assert "ana@box" not in after["home"]


def test_a_builders_parameters_are_written_as_the_values_they_had():
    files = {
        "flake.nix": flake("inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./os.nix ./home.nix ./lib.nix ]; }"),
        "lib.nix": """{ flake.lib.defaults = user: { home.username = user; }; }""",
        "os.nix": """{ inputs, ... }:
let
  machines = { box = "x86_64-linux"; idle = "x86_64-linux"; };
in
{
  flake.nixosConfigurations = builtins.mapAttrs (name: system: inputs.nixpkgs.lib.nixosSystem {
    inherit system;
    modules = [ ./machines/${name} ];
  }) machines;
}""",
        "home.nix": """{ inputs, self, withSystem, ... }:
let
  makeHome = { user, host, system }:
    withSystem system ({ pkgs, inputs', ... }:
      inputs.home-manager.lib.homeManagerConfiguration {
        inherit pkgs;
        extraSpecialArgs = { inherit inputs'; };
        modules = [
          (self.lib.defaults user)
          (self.homeModules."${user}@${host}" or { })
        ];
      });
in
{
  flake.homeModules."ana@box" = ./users/ana.nix;
  flake.homeConfigurations = {
    "ana@box" = makeHome { user = "ana"; host = "box"; system = "x86_64-linux"; };
  };
}""",
        "users/ana.nix": HOME,
        "machines/box/default.nix": HOST,
        "machines/idle/default.nix": HOST,
    }
    _analysis, plan = migrated(files)
    os_nix = text(plan, "os.nix")
    assert os_nix.startswith("{ inputs, self, withSystem, withHomeManager, ... }:")
    # withSystem's per-system arguments are asked again; the user's parameters are their values
    assert """extraSpecialArgs = { inputs' = (withSystem "x86_64-linux" ({ inputs', ... }: inputs')); };""" in os_nix
    assert """users.ana.imports = [ (self.lib.defaults "ana") (self.homeModules."ana@box" or { }) ];""" in os_nix
    assert "homeManagerOf ? ${name} then withHomeManager host homeManagerOf.${name} else host" in os_nix


@pytest.mark.parametrize("outputs, message", [
    ("inputs: inputs.snowfall-lib.lib.mkFlake { inherit inputs; src = ./.; }",
     "flake.nix: `outputs` does not evaluate to an attribute set (it is the result of "
     "inputs.snowfall-lib.lib.mkFlake, flake.nix:1:73)"),
    ('inputs: throw "not yet"', "flake.nix: cannot evaluate the flake's outputs: throw: not yet (flake.nix:1)"),
    ("inputs: [ ]", "flake.nix: `outputs` does not evaluate to an attribute set (it is a list)"),
])
def test_outputs_the_analysis_cannot_follow_are_named(outputs, message):
    source = '{ inputs.snowfall-lib.url = "github:snowfallorg/lib"; outputs = ' + outputs + "; }"
    with pytest.raises(MigrateError) as error:
        analyze(from_mapping({"flake.nix": source.encode()}))
    assert str(error.value) == message


def test_sets_of_hosts_joined_by_a_recursive_merge_helper():
    files = {"flake.nix": """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  outputs = { nixpkgs, ... }:
    let
      inherit (nixpkgs) lib;
      recursiveMergeAttrs = sets: lib.fold (set: acc: lib.recursiveUpdate set acc) { } sets;
      mk = name: lib.nixosSystem { system = "x86_64-linux"; modules = [ ./${name}.nix ]; };
    in
    {
      nixosConfigurations = recursiveMergeAttrs [ { a = mk "a"; } { b = mk "b"; } ] // { c = mk "c"; };
    };
}""", "a.nix": HOST, "b.nix": HOST, "c.nix": HOST}
    evaluator, outputs = outputs_of(files)
    assert evaluator.select(outputs, "nixosConfigurations").names() == ["a", "b", "c"]


def test_a_standalone_pkgs_with_settings_is_carried_into_the_flake_module_that_defines_the_host():
    # The hosts are defined in hosts.nix, a flake module: the Home Manager module that gives
    # the user their old package settings is written there, with the module's own names.
    files = {
        "flake.nix": flake("inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./hosts.nix ./homes.nix ]; }"),
        "hosts.nix": """{ inputs, ... }: {
  flake.nixosConfigurations.box = inputs.nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ./box.nix ];
  };
}""",
        "homes.nix": """{ inputs, ... }:
let
  pkgs = import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
in {
  flake.homeConfigurations."ana@box" = inputs.home-manager.lib.homeManagerConfiguration {
    inherit pkgs;
    modules = [ ./home.nix ];
  };
}""",
        "box.nix": HOST,
        "home.nix": HOME,
    }
    _analysis, plan = migrated(files)
    [wiring] = plan.wirings
    assert wiring.use_global_pkgs is False
    hosts = text(plan, "hosts.nix")
    assert "nixpkgs.config" in hosts and "allowUnfree = true" in hosts
    box = {m.old: m.new for m in plan.moves}.get("box.nix", "box.nix")
    assert text(plan, box) == HOST  # the host's own settings stay as they were
