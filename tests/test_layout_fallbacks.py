"""The layout never blocks the wiring: folders the full layout cannot move stay where they
are (reported as fallbacks), families of dynamic paths move as a whole, `--layout keep`
moves nothing, and each result passes the tool's own verification."""

from __future__ import annotations

from migrate.analyze.analysis import analyze
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_mapping
from migrate.verify import verify

FLAKE = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  outputs = { nixpkgs, home-manager, ... }@inputs:
    let
      mkHost = { hostname, role, desktop ? null }: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs hostname role desktop; };
        modules = [ ./nixos ];
      };
      mkHome = { hostname, desktop ? null }: home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        extraSpecialArgs = { inherit inputs hostname desktop; username = "ana"; };
        modules = [ ./home ];
      };
    in {
      nixosConfigurations = {
        atlas = mkHost { hostname = "atlas"; role = "desktop"; desktop = "gnome"; };
        bree = mkHost { hostname = "bree"; role = "desktop"; desktop = "sway"; };
        cinder = mkHost { hostname = "cinder"; role = "server"; };
      };
      homeConfigurations = {
        "ana@atlas" = mkHome { hostname = "atlas"; desktop = "gnome"; };
        "ana@bree" = mkHome { hostname = "bree"; desktop = "sway"; };
      };
    };
}
"""
HARDWARE = '{ lib, ... }: { nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux"; }\n'
HOME = '{ ... }: { imports = [ ./git.nix ]; home.stateVersion = "24.05"; }\n'


def machine(name: str) -> str:
    return f'{{ ... }}: {{ imports = [ ./hardware-configuration.nix ]; networking.hostName = "{name}"; }}\n'


def two_level_family() -> dict[str, str]:
    return {
        "flake.nix": FLAKE,
        "nixos/default.nix": "{ role, hostname, ... }: {\n  imports = [ ./${role}/${hostname} ./common.nix ];\n}\n",
        "nixos/common.nix": '{ ... }: { time.timeZone = "UTC"; }\n',
        "nixos/desktop/atlas/default.nix": machine("atlas"),
        "nixos/desktop/atlas/hardware-configuration.nix": HARDWARE,
        "nixos/desktop/bree/default.nix": machine("bree"),
        "nixos/desktop/bree/hardware-configuration.nix": HARDWARE,
        "nixos/server/cinder/default.nix": machine("cinder"),
        "nixos/server/cinder/hardware-configuration.nix": HARDWARE,
        "home/default.nix": HOME,
        "home/git.nix": "{ ... }: { programs.git.enable = true; }\n",
    }


def planned(files: dict[str, str], layout: str = "full"):
    snapshot = from_mapping({path: text.encode() for path, text in files.items()}, "<test>")
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis), layout=layout)
    assert verify(analysis, plan) == []
    return analysis, plan


def moved(plan) -> dict[str, str]:
    return {move.old: move.new for move in plan.moves}


def test_a_two_level_family_of_host_folders_keeps_its_levels_under_hosts():
    _analysis, plan = planned(two_level_family())
    new = moved(plan)
    assert new["nixos/desktop/atlas/default.nix"] == "hosts/desktop/atlas/default.nix"
    assert new["nixos/server/cinder/hardware-configuration.nix"] == "hosts/server/cinder/hardware-configuration.nix"
    entry = plan.tree[new["nixos/default.nix"]].decode()
    assert "../../hosts/${role}/${hostname}" in entry
    assert plan.fallbacks == []


def test_a_family_whose_values_no_root_names_is_checked_against_every_folder():
    # The helper in lib.nix is evaluated by the flake, not as a module of a host: which
    # hostnames it gets is not known there, so every folder under host/ must move alike.
    files = {
        "flake.nix": FLAKE.replace("modules = [ ./nixos ];", "modules = [ (lib.hostModule hostname) ];")
                          .replace("    let\n", "    let\n      lib = import ./lib.nix;\n"),
        "lib.nix": "{ hostModule = hostname: ./host/${hostname}; }\n",
        "home/default.nix": HOME,
        "home/git.nix": "{ ... }: { programs.git.enable = true; }\n",
    }
    for name in ("atlas", "bree", "cinder"):
        files[f"host/{name}/default.nix"] = machine(name)
        files[f"host/{name}/hardware-configuration.nix"] = HARDWARE
    _analysis, plan = planned(files)
    new = moved(plan)
    assert new["host/cinder/default.nix"] == "hosts/cinder/default.nix"
    assert "./hosts/${hostname}" in plan.tree["lib.nix"].decode()


def test_a_family_the_layout_would_split_stays_in_its_folder_and_says_why():
    files = two_level_family()
    # Host kiosk's folder is missing (not committed): its only own file is the desktop
    # it picks, cage.nix, so the layout would make that its host folder's entry, while
    # the same dynamic path names gnome.nix for atlas. Their folder keeps its place.
    files["flake.nix"] = FLAKE.replace(
        'cinder = mkHost { hostname = "cinder"; role = "server"; };',
        'cinder = mkHost { hostname = "cinder"; role = "server"; };\n'
        '        kiosk = mkHost { hostname = "kiosk"; role = "desktop"; desktop = "cage"; };')
    files["nixos/common.nix"] = '{ desktop, lib, ... }: { imports = lib.optional (desktop != null) ./desktops; }\n'
    files["nixos/desktops/default.nix"] = '{ desktop, ... }: { imports = [ (./. + "/${desktop}.nix") ]; }\n'
    files["nixos/desktops/gnome.nix"] = "{ ... }: { services.xserver.desktopManager.gnome.enable = true; }\n"
    files["nixos/desktops/sway.nix"] = "{ ... }: { programs.sway.enable = true; }\n"
    files["nixos/desktops/cage.nix"] = "{ ... }: { services.cage.enable = true; }\n"
    analysis, plan = planned(files)
    assert analysis.files["nixos/desktops/cage.nix"].role == "host:kiosk"
    new = moved(plan)
    assert not any(old.startswith("nixos/desktops/") for old in new)
    assert [f.path for f in plan.fallbacks] == ["nixos/desktops"]
    assert "names a family of paths here" in plan.fallbacks[0].reason
    assert "(nixos/desktops/default.nix:1:" in plan.fallbacks[0].reason
    # Everything else still gets the layout.
    assert new["nixos/desktop/atlas/default.nix"] == "hosts/desktop/atlas/default.nix"
    assert "../../nixos/desktops" in plan.tree["modules/nixos/common.nix"].decode()


def test_a_string_that_climbs_out_of_its_folder_is_kept_when_both_folders_move_together():
    files = two_level_family()
    files["home/default.nix"] = ('{ ... }: { imports = [ ./git.nix ./desktop ]; home.stateVersion = "24.05"; }\n')
    files["home/desktop/default.nix"] = ('{ desktop, ... }: {\n  imports = [ (./. + "/../profiles/${desktop}.nix") ];\n}\n')
    files["home/profiles/gnome.nix"] = "{ ... }: { dconf.enable = true; }\n"
    files["home/profiles/sway.nix"] = "{ ... }: { wayland.windowManager.sway.enable = true; }\n"
    _analysis, plan = planned(files)
    new = moved(plan)
    assert new["home/desktop/default.nix"] == "modules/home/desktop/default.nix"
    assert new["home/profiles/sway.nix"] == "modules/home/profiles/sway.nix"
    assert "home/desktop/default.nix" not in plan.edited_ranges  # the string still names the same files
    assert plan.fallbacks == []


def test_a_taken_target_keeps_the_folder_that_would_move_onto_it():
    files = two_level_family()
    # modules/nixos/default.nix is the user's own NixOS module, exported by the flake and
    # used by no host: nixos/default.nix would become it.
    files["modules/nixos/default.nix"] = "{ ... }: { }\n"
    _analysis, plan = planned(files)
    new = moved(plan)
    assert "nixos/default.nix" not in new and new["nixos/common.nix"] == "modules/nixos/common.nix"
    assert plan.fallbacks[0].path == "nixos/default.nix"
    assert "would move onto modules/nixos/default.nix, which exists and stays" in plan.fallbacks[0].reason
    assert new["nixos/desktop/bree/default.nix"] == "hosts/desktop/bree/default.nix"


def test_layout_keep_moves_nothing_and_still_wires_every_home():
    _analysis, plan = planned(two_level_family(), layout="keep")
    assert plan.moves == []
    assert [(w.host, list(w.users)) for w in plan.wirings] == [("atlas", ["ana"]), ("bree", ["ana"])]
    assert [f.describe() for f in plan.fallbacks] == ["every file stays where it is (layout keep): asked for with --layout keep"]
    flake = plan.tree["flake.nix"].decode()
    assert "nixosModules.home-manager" in flake and "users.ana.imports = [ ./home ];" in flake
