"""Flakes whose configurations are computed (`genAttrs hosts mkSystem`), not written one
by one: the migrated flake is checked by the tool and evaluated again by real Nix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flake_eval import evaluate_repo
from migrate.analyze.analysis import analyze
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_directory
from nixcheck import requires_nix

ROOT = Path(__file__).resolve().parent.parent

FLAKE = """{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    home-manager.url = "github:nix-community/home-manager/release-24.05";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
  };

  outputs =
    { nixpkgs, home-manager, ... }@inputs:
    let
      system = "x86_64-linux";
      hosts = [ "ember" "slate" "quill" ];
      mkSystem =
        hostName:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs; };
          modules = [ ./hosts/${hostName} ];
        };
      # `home-manager switch --flake .#<host>` on each machine
      mkHome =
        hostName:
        home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.${system};
          extraSpecialArgs = { inherit inputs%(host_arg)s; };
          modules = [ ./hosts/${hostName}/home.nix ];
        };
    in
    {
      nixosConfigurations = nixpkgs.lib.genAttrs hosts mkSystem;
      homeConfigurations = nixpkgs.lib.genAttrs %(homes)s mkHome;
    };
}
"""

HOST = """{ lib, ... }:
{
  imports = [ ./hardware-configuration.nix ../../modules/system/base.nix ];
  users.users.noor.isNormalUser = true;
  system.stateVersion = "24.05";
}
"""
HARDWARE = '{ lib, ... }: { nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux"; }\n'
HOME = """{ ... }:
{
  imports = [ ../../modules/user/shell.nix ];
  home.username = "noor";
  home.homeDirectory = "/home/noor";
  home.stateVersion = "24.05";
}
"""


def write_repo(root: Path, homes: str, host_arg: bool = True) -> Path:
    files = {"flake.nix": FLAKE % {"homes": homes, "host_arg": " hostName" if host_arg else ""},
             "modules/system/base.nix": "{ ... }: { time.timeZone = \"UTC\"; }\n",
             "modules/user/shell.nix": "{ ... }: { programs.bash.enable = true; }\n",
             "pkgs/tool.nix": "{ writeShellScriptBin }: writeShellScriptBin \"tool\" \"echo hi\"\n"}
    for host in ("ember", "slate", "quill"):
        files[f"hosts/{host}/default.nix"] = HOST
        files[f"hosts/{host}/hardware-configuration.nix"] = HARDWARE
        files[f"hosts/{host}/home.nix"] = HOME
    files["hosts/laptop/home.nix"] = HOME  # a machine that does not run NixOS
    files["modules/user/shell.nix"] = ("{ pkgs, ... }: let tool = pkgs.callPackage ../../pkgs/tool.nix { }; in "
                                       "{ programs.bash.enable = true; home.packages = [ tool ]; }\n")
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def planned(repo: Path):
    snapshot = from_directory(repo)
    analysis = analyze(snapshot)
    return analysis, make_plan(analysis, snapshot, check_all(analysis))


def test_homes_keyed_by_host_name_join_that_host_as_the_user_their_modules_name(tmp_path):
    analysis, _plan = planned(write_repo(tmp_path / "keys", "hosts", host_arg=False))
    assert {h.name: (h.user, h.hosts, h.attach_reason) for h in analysis.homes.values()} == {
        name: ("noor", [name], f"its key is the name of host {name}") for name in ("ember", "quill", "slate")}
    analysis, plan = planned(write_repo(tmp_path / "args", "hosts"))
    assert {h.name: (h.user, h.hosts, h.attach_reason) for h in analysis.homes.values()} == {
        name: ("noor", [name], f"its hostname argument is {name}") for name in ("ember", "quill", "slate")}
    flake = plan.tree["flake.nix"].decode()
    # The flake's own mkSystem builds every host: it gets Home Manager, written as mkHome
    # writes its settings; the generated set stays as written, with no wrapper.
    assert "      nixosConfigurations = nixpkgs.lib.genAttrs hosts mkSystem;\n" in flake
    system = flake.split("mkSystem =", 1)[1].split("mkHome =", 1)[0]
    assert "extraSpecialArgs = { inherit inputs hostName; };" in system
    assert "users.noor.imports = [ ./hosts/${hostName}/home.nix ];" in system
    assert "builtins.elem" not in system  # every host of the helper migrates
    assert "withHomeManager" not in flake and "extendModules" not in flake
    # Every generated home migrates: the binding stays only as a comment.
    assert "      # homeConfigurations = nixpkgs.lib.genAttrs hosts mkHome;" in flake
    assert not any(line.rstrip() != line for line in flake.splitlines())
    moved = {m.old: m.new for m in plan.moves}
    # modules/system and modules/user are the layers' folders; a package stays in pkgs/.
    assert moved["modules/system/base.nix"] == "modules/nixos/base.nix"
    assert moved["modules/user/shell.nix"] == "modules/home/shell.nix"
    assert "pkgs/tool.nix" not in moved


def test_generated_homes_that_stay_are_kept_in_the_set(tmp_path):
    _analysis, plan = planned(write_repo(tmp_path, '[ "ember" "laptop" ]'))
    flake = plan.tree["flake.nix"].decode()
    assert 'if builtins.elem hostName [ "ember" ] then' in flake  # slate and quill stay as they were
    assert ('      # hm-migrate: ember: Home Manager now runs as a NixOS module on ember\n'
            '      homeConfigurations = builtins.removeAttrs (nixpkgs.lib.genAttrs [ "ember" "laptop" ] mkHome) '
            '[ "ember" ];') in flake
    assert plan.kept_standalone == ["laptop"]
    assert [w.host for w in plan.wirings] == ["ember"]


@requires_nix
@pytest.mark.parametrize("homes", ["hosts", '[ "ember" "laptop" ]'])
def test_the_migrated_generated_flake_evaluates_the_same(tmp_path, homes):
    repo = write_repo(tmp_path / "repo", homes)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--out", str(out), "--no-color"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    _analysis, plan = planned(repo)
    renamed = {m.old: m.new for m in plan.moves}
    before, after = evaluate_repo(repo), evaluate_repo(out)
    assert sorted(after["nixos"]) == sorted(before["nixos"]) == ["ember", "quill", "slate"]
    migrated = {w.host for w in plan.wirings}
    for host, old in before["nixos"].items():
        new = after["nixos"][host]
        assert new["modules"] == sorted(renamed.get(p, p) for p in old["modules"]), host
        if host not in migrated:
            assert new["home_manager"] is None, host
            continue
        user = new["home_manager"]["users"]["noor"]
        assert user["modules"] == sorted(renamed.get(p, p) for p in before["home"][host]["modules"]), host
        assert sorted(new["home_manager"]["extra_special_args"]) == ["hostName", "inputs"]
    assert sorted(after["home"]) == sorted(k for k in before["home"] if k not in migrated)


IMPORTED_HOSTS_FLAKE = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  outputs = { self, nixpkgs, home-manager, ... }@inputs: {
    # the hosts are built in their own file
    nixosConfigurations = import ./hosts { inherit nixpkgs; };
    homeConfigurations."ana@box" = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./home.nix ];
    };
  };
}
"""
IMPORTED_HOSTS = """{ nixpkgs }:
let
  mk = name: nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ./${name}/configuration.nix ];
  };
in
{
  box = mk "box";
  idle = mk "idle";
}
"""


@requires_nix
def test_hosts_built_in_another_file_are_wrapped_where_the_flake_imports_them(tmp_path):
    repo = tmp_path / "repo"
    files = {"flake.nix": IMPORTED_HOSTS_FLAKE, "hosts/default.nix": IMPORTED_HOSTS,
             "home.nix": '{ ... }: { home.stateVersion = "24.05"; programs.git.enable = true; }\n'}
    for host in ("box", "idle"):
        files[f"hosts/{host}/configuration.nix"] = (
            '{ ... }: { users.users.ana.isNormalUser = true; system.stateVersion = "24.05"; }\n')
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--out", str(out), "--no-color"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    flake = (out / "flake.nix").read_text()
    assert ") (import ./hosts { inherit nixpkgs; });" in flake
    assert (out / "hosts/default.nix").read_text() == IMPORTED_HOSTS  # the helper file is not touched
    after = evaluate_repo(out)
    assert after["nixos"]["idle"]["home_manager"] is None
    assert sorted(after["nixos"]["box"]["home_manager"]["users"]) == ["ana"]
    assert after["nixos"]["box"]["home_manager"]["users"]["ana"]["modules"] == ["modules/home/default.nix"]
    assert after["home"] == {}


def test_the_summary_names_an_inline_user_module_instead_of_printing_it(tmp_path):
    flake = FLAKE.replace("modules = [ ./hosts/${hostName}/home.nix ];",
                          "modules = [\n            ./hosts/${hostName}/home.nix\n"
                          "            ({ ... }: {\n              programs.git.enable = true;\n            })\n          ];")
    repo = write_repo(tmp_path, "hosts")
    (repo / "flake.nix").write_text(flake % {"homes": "hosts", "host_arg": ""})
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--dry-run", "--no-color"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert ("  host ember: users noor (./hosts/ember/home.nix (a module written inline)); useGlobalPkgs = true; "
            "replaces ember; wired in mkSystem of flake.nix, the repository's helper\n") in result.stdout
    assert "programs.git.enable = true;" in result.stdout  # the diff of flake.nix shows it whole


MERGED_OUTPUTS = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  inputs.flake-utils.url = "github:numtide/flake-utils";
  outputs = { self, nixpkgs, home-manager, flake-utils, ... }@inputs:
    {
      nixosConfigurations.box = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/box/configuration.nix ];
      };
      homeConfigurations."ana@box" = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [ ./home.nix ];
      };
    }
    // flake-utils.lib.eachDefaultSystem (system: {
      devShells.default = nixpkgs.legacyPackages.${system}.mkShell { };
    });
}
"""


def test_outputs_merged_with_an_inputs_value_are_read_and_edited_on_the_written_side():
    from migrate.snapshot import from_mapping
    from migrate.verify import verify

    files = {"flake.nix": MERGED_OUTPUTS,
             "hosts/box/configuration.nix": '{ ... }: { users.users.ana.isNormalUser = true; system.stateVersion = "24.05"; }\n',
             "home.nix": '{ ... }: { home.stateVersion = "24.05"; programs.git.enable = true; }\n'}
    snapshot = from_mapping({p: t.encode() for p, t in files.items()}, "<test>")
    analysis = analyze(snapshot)
    assert sorted(analysis.hosts) == ["box"] and sorted(analysis.homes) == ["ana@box"]
    assert analysis.warnings == []
    plan = make_plan(analysis, snapshot, check_all(analysis))
    flake = plan.tree["flake.nix"].decode()
    # the host's own call: Home Manager in its modules list, the manual's form
    assert ("nixosConfigurations.box = nixpkgs.lib.nixosSystem {\n        system = \"x86_64-linux\";\n"
            "        modules = [\n          ./hosts/box/configuration.nix\n"
            "          home-manager.nixosModules.home-manager\n") in flake
    assert "extendModules" not in flake and "homeConfigurations" not in flake
    assert flake.endswith("    // flake-utils.lib.eachDefaultSystem (system: {\n"
                          "      devShells.default = nixpkgs.legacyPackages.${system}.mkShell { };\n    });\n}\n")
    assert verify(analysis, plan) == []
