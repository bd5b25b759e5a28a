"""Verification compares each flake's inputs, and each host's `system` and
`specialArgs`, before and after: a plan that drops an input, repins one, or rebuilds a
host in an invented flake with another system must not pass."""

from __future__ import annotations

from pathlib import Path

from migrate.analyze.analysis import analyze
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_directory, from_mapping
from migrate.verify import verify

ROOT = Path(__file__).resolve().parent.parent

FLAKE = """{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
    # used only by a package outside the analysed modules
    hyprland.url = "github:hyprwm/Hyprland/v0.45.2";
  };
  outputs = { self, nixpkgs, home-manager, ... }: {
    nixosConfigurations.wren = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./configuration.nix ];
    };
    homeConfigurations."ann@wren" = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./home.nix ];
    };
  };
}
"""
FILES = {
    "flake.nix": FLAKE,
    "configuration.nix": "{ ... }: { users.users.ann.isNormalUser = true; system.stateVersion = \"24.11\"; }\n",
    "home.nix": "{ ... }: { home.stateVersion = \"24.11\"; }\n",
}


def _planned(snapshot):
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis))
    return analysis, plan


def test_the_plan_as_made_passes():
    analysis, plan = _planned(from_mapping(FILES))
    assert verify(analysis, plan) == []


def test_an_input_dropped_or_repinned_is_a_difference():
    analysis, plan = _planned(from_mapping(FILES))
    flake = plan.tree["flake.nix"].decode()
    assert 'hyprland.url = "github:hyprwm/Hyprland/v0.45.2";' in flake
    flake = flake.replace('    hyprland.url = "github:hyprwm/Hyprland/v0.45.2";\n', "")
    flake = flake.replace("nixos-24.11", "nixos-unstable")
    plan.tree["flake.nix"] = flake.encode()
    plan.changed.add("flake.nix")
    differences = verify(analysis, plan)
    assert "flake flake.nix: inputs: lost hyprland" in differences, differences
    assert ("flake flake.nix: input nixpkgs was url=github:NixOS/nixpkgs/nixos-24.11, "
            "became url=github:NixOS/nixpkgs/nixos-unstable") in differences, differences


def test_a_host_rebuilt_in_an_invented_top_flake_is_caught():
    """The several-flakes repository, migrated the wrong way: a new flake.nix at the top
    that takes the home's architecture, drops the host's own input (hyprland) and its
    specialArgs, with the host's old flake moved away."""
    snapshot = from_directory(ROOT / "sample-configs" / "flakes-in-folders")
    analysis, plan = _planned(snapshot)
    assert verify(analysis, plan) == []  # the real plan
    del plan.tree["nixos/flake.nix"]
    plan.changed.discard("nixos/flake.nix")
    plan.tree["flake.nix"] = b"""{
  inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  outputs = { nixpkgs, home-manager, ... }: {
    nixosConfigurations.kestrel = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [
        ./nixos/configuration.nix
        home-manager.nixosModules.home-manager
        { home-manager.users.sam.imports = [ ./home-manager/home.nix ]; }
      ];
    };
  };
}
"""
    plan.changed.add("flake.nix")
    differences = verify(analysis, plan)
    assert "host kestrel: system x86_64-linux became aarch64-linux" in differences, differences
    assert any(d.startswith("host kestrel: specialArgs names: lost inputs") for d in differences), differences
    inputs = [d for d in differences if d.startswith("host kestrel: inputs of its flake (nixos/flake.nix, now flake.nix)")]
    assert inputs and "lost hyprland (url=github:hyprwm/Hyprland/v0.45.2)" in inputs[0], differences
    assert "flake nixos/flake.nix: missing from the planned tree" in differences, differences
