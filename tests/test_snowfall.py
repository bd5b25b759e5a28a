"""snowfall-lib flakes: the analysis builds systems and homes from the folders as
snowfall-lib does, and wires a home into the system it names when the flake has a
`home-manager` input (snowfall-lib adds that NixOS module itself)."""

from __future__ import annotations

import pytest

from migrate.analyze.analysis import analyze
from migrate.analyze.snowfall import resolved_system, virtual_format
from migrate.errors import MigrateError
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_mapping

INPUTS = """
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    snowfall-lib = { url = "github:snowfallorg/lib"; inputs.nixpkgs.follows = "nixpkgs"; };
    %s
    agenix.url = "github:ryantm/agenix";
  };
"""
HOME_MANAGER = 'home-manager.url = "github:nix-community/home-manager";'

SYSTEM = "{ lib, host, namespace, ... }: { networking.hostName = host; system.stateVersion = \"24.11\"; }\n"
HOME = "{ ... }: { home.stateVersion = \"24.11\"; }\n"


def repo(outputs: str, files: dict[str, str], home_manager: bool = True) -> dict[str, str]:
    flake = "{\n" + INPUTS % (HOME_MANAGER if home_manager else "") + f"  outputs = {outputs};\n}}\n"
    return {"flake.nix": flake, **files}


BASIC = {
    "systems/x86_64-linux/oak/default.nix": "{ ... }: { imports = [ ./hardware.nix ]; }\n",
    "systems/x86_64-linux/oak/hardware.nix": "{ }\n",
    "systems/aarch64-linux/pip/default.nix": SYSTEM,
    "homes/x86_64-linux/ann@oak/default.nix": HOME,
    "homes/x86_64-linux/ann@laptop/default.nix": HOME,
    "modules/nixos/base/default.nix": "{ ... }: { imports = [ ./extra.nix ]; }\n",
    "modules/nixos/base/extra.nix": "{ }\n",
    "modules/home/git/default.nix": "{ programs.git.enable = true; }\n",
}


def run(files: dict[str, str], attach=None):
    snapshot = from_mapping(files)
    analysis = analyze(snapshot, attach=attach)
    return snapshot, analysis


@pytest.mark.parametrize("outputs", [
    "inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; }",
    "{ self, snowfall-lib, ... }@inputs: snowfall-lib.mkFlake { inherit inputs; src = ./.; }",
    # kenanpelit-style: the internal `snowfall` output hidden, the source filtered
    """{ nixpkgs, snowfall-lib, ... }@inputs: let lib = nixpkgs.lib; in
       lib.removeAttrs (snowfall-lib.mkFlake { inherit inputs; src = lib.cleanSourceWith { src = ./.; filter = p: t: true; }; }) [ "snowfall" ]""",
    # the documented mkLib form
    """inputs: let lib = inputs.snowfall-lib.mkLib { inherit inputs; src = ./.; snowfall.namespace = "acme"; };
       in lib.mkFlake { }""",
])
def test_every_way_of_calling_snowfall_lib_reads_the_folders(outputs):
    _, analysis = run(repo(outputs, BASIC))
    assert analysis.layout == "already-migrated"
    assert sorted(analysis.hosts) == ["oak", "pip"]
    oak = analysis.hosts["oak"]
    assert oak.system == "x86_64-linux"
    assert sorted(oak.files) == ["modules/nixos/base/default.nix", "modules/nixos/base/extra.nix",
                                 "systems/x86_64-linux/oak/default.nix", "systems/x86_64-linux/oak/hardware.nix"]
    assert oak.users == ["ann"] and analysis.hosts["pip"].users == []
    # snowfall-lib exposes the home as homeConfigurations."ann@oak" too: that one stays
    # standalone, beside the system's user built from the same files.
    assert not analysis.homes["ann@oak"].integrated and analysis.homes["ann@oak"].hosts == []
    wired = analysis.homes["ann@oak (NixOS module)"]
    assert wired.integrated and wired.host == "oak"
    assert sorted(wired.files) == ["homes/x86_64-linux/ann@oak/default.nix", "modules/home/git/default.nix"]
    laptop = analysis.homes["ann@laptop"]
    assert not laptop.integrated and laptop.hosts == []
    assert any("ann@laptop has no NixOS system here" in note for note in analysis.notes)
    assert any("ann@oak is already Home Manager user ann of oak" in note for note in analysis.notes)


def test_flake_options_add_modules_and_special_args_where_snowfall_lib_puts_them():
    outputs = """inputs: inputs.snowfall-lib.mkFlake {
      inherit inputs; src = ./.;
      systems.modules.nixos = with inputs; [ agenix.nixosModules.default ];
      systems.hosts.oak = { modules = [ ./extra/oak-only.nix ]; specialArgs.monitors = 2; };
      homes.modules = [ inputs.agenix.homeManagerModules.default ];
      homes.users."ann@laptop" = { modules = [ ./extra/laptop.nix ]; specialArgs.standalone = true; };
    }"""
    files = {**BASIC, "extra/oak-only.nix": "{ monitors, ... }: { }\n", "extra/laptop.nix": "{ }\n"}
    _, analysis = run(repo(outputs, files))
    oak = analysis.hosts["oak"]
    assert "extra/oak-only.nix" in oak.files and "extra/oak-only.nix" not in analysis.hosts["pip"].files
    assert "agenix.nixosModules.default" in oak.external_modules
    assert "inputs.home-manager.nixosModules.home-manager" in oak.external_modules
    assert {"monitors", "host", "namespace", "inputs", "system", "target"} <= set(oak.arg_names())
    laptop = analysis.homes["ann@laptop"]
    assert "extra/laptop.nix" in laptop.files and "standalone" in laptop.arg_names()
    assert "inputs.agenix.homeManagerModules.default" in analysis.homes["ann@oak"].external_modules


def test_a_home_without_host_is_a_user_of_every_system_of_its_architecture():
    files = {**BASIC, "systems/x86_64-linux/elm/default.nix": SYSTEM, "homes/x86_64-linux/bob/default.nix": HOME}
    _, analysis = run(repo("inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; }", files))
    assert analysis.hosts["oak"].users == ["ann", "bob"]
    assert analysis.hosts["elm"].users == ["bob"]
    assert analysis.hosts["pip"].users == []  # aarch64-linux


def test_virtual_and_darwin_targets():
    assert virtual_format("x86_64-install-iso") == "install-iso"
    assert virtual_format("x86_64-install-iso-hyperv") == "hyperv"  # snowfall-lib's order
    assert resolved_system("x86_64-proxmox") == "x86_64-linux" and resolved_system("aarch64-darwin") == "aarch64-darwin"
    files = {**BASIC, "systems/x86_64-iso/rescue/default.nix": SYSTEM, "systems/aarch64-darwin/mac/default.nix": "{ }\n",
             "homes/aarch64-darwin/ann@mac/default.nix": HOME}
    _, analysis = run(repo("inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; }", files))
    assert analysis.hosts["rescue"].system == "x86_64-linux"
    assert "mac" not in analysis.hosts
    assert not analysis.homes["ann@mac"].integrated
    assert any("nix-darwin system mac" in note for note in analysis.notes)


def test_the_flakes_own_lib_is_lib_namespace():
    files = {**BASIC,
             "lib/flags/default.nix": "{ lib, ... }: { wantsExtra = true; }\n",
             "systems/x86_64-linux/oak/default.nix":
                 "{ lib, namespace, ... }: { imports = lib.optional lib.${namespace}.wantsExtra ./hardware.nix; }\n"}
    outputs = 'inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; snowfall.namespace = "acme"; }'
    _, analysis = run(repo(outputs, files))
    reach = analysis.hosts["oak"].files["systems/x86_64-linux/oak/hardware.nix"]
    assert not reach.conditional  # decided: lib.acme.wantsExtra is true
    assert analysis.files["lib/flags/default.nix"].role == "other"


def test_a_home_under_two_targets_is_the_last_ones():
    files = {**BASIC, "homes/x86_64-lxc/ann@oak/default.nix": HOME}
    _, analysis = run(repo("inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; }", files))
    assert "homes/x86_64-lxc/ann@oak/default.nix" in analysis.homes["ann@oak"].files
    assert "homes/x86_64-linux/ann@oak/default.nix" not in analysis.homes["ann@oak"].files
    assert any("snowfall-lib keeps only homes/x86_64-lxc/ann@oak/default.nix" in w.message for w in analysis.warnings)


def test_attaching_a_home_to_another_system_says_how_snowfall_lib_does_it():
    with pytest.raises(MigrateError, match=r"rename homes/x86_64-linux/ann@laptop to homes/x86_64-linux/ann@pip"):
        run(repo("inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; }", BASIC),
            attach={"ann@laptop": ["pip"]})


def test_without_a_home_manager_input_nothing_is_wired_and_the_way_is_said():
    snapshot, analysis = run(repo("inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; }", BASIC,
                                  home_manager=False))
    assert analysis.layout == "flake-standalone"
    assert not any(h.integrated for h in analysis.homes.values())
    assert "inputs.home-manager.nixosModules.home-manager" not in analysis.hosts["oak"].external_modules
    with pytest.raises(MigrateError, match="add a `home-manager` input"):
        make_plan(analysis, snapshot, check_all(analysis))


def test_an_input_merely_named_like_snowfall_is_not_snowfall_lib():
    files = {"flake.nix": """{
      inputs.nixpkgs.url = "github:NixOS/nixpkgs";
      inputs.snowfall-lib.url = "github:someone/other-lib";
      outputs = inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; };
    }
    """, **BASIC}
    with pytest.raises(MigrateError, match="does not evaluate to an attribute set"):
        run(files)
