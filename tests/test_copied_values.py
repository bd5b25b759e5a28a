"""A module written inside another file (`homes/ana.nix` returns the whole
homeManagerConfiguration) cannot be imported by path where the host is wired: the
migration copies it, and the report says so, since editing the old place no longer
changes what the host builds."""

from __future__ import annotations

from repo_files import run_migrate, write_files

FILES = {
    "flake.nix": """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  outputs = { nixpkgs, home-manager, ... }@inputs: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./hosts/box/configuration.nix ];
    };
    homeConfigurations."ana@box" = import ./homes/ana.nix inputs;
  };
}
""",
    "homes/ana.nix": """{ home-manager, nixpkgs, ... }:
home-manager.lib.homeManagerConfiguration {
  pkgs = nixpkgs.legacyPackages.x86_64-linux;
  modules = [
    ./ana-home.nix
    # git for every checkout
    { programs.git.enable = true; }
  ];
}
""",
    "homes/ana-home.nix": "{ ... }: { home.stateVersion = \"24.05\"; }\n",
    "hosts/box/configuration.nix": "{ ... }: { users.users.ana.isNormalUser = true; }\n",
}


def test_a_module_copied_out_of_another_file_is_named_in_the_report(tmp_path):
    repo = write_files(tmp_path / "dotfiles", FILES)
    out = tmp_path / "out"
    result = run_migrate(repo, "--out", out)
    note = ("a module of homeConfigurations.ana@box: the expression at homes/ana.nix:7:5 is copied into flake.nix, "
            "where the host is wired (a value inside a file cannot be imported by its path); from now on the copy "
            "is what the host builds")
    assert f"  {note}\n" in result.stdout
    assert note in (out / "MIGRATION.md").read_text()
    assert "programs = { git = { enable = true; }; };" in (out / "flake.nix").read_text()


def test_a_module_written_in_the_flake_itself_is_not_called_a_copy(tmp_path):
    repo = write_files(tmp_path / "dotfiles", FILES)
    (repo / "flake.nix").write_text(FILES["flake.nix"].replace(
        'homeConfigurations."ana@box" = import ./homes/ana.nix inputs;',
        'homeConfigurations."ana@box" = home-manager.lib.homeManagerConfiguration {\n'
        '      pkgs = nixpkgs.legacyPackages.x86_64-linux;\n'
        '      modules = [ ./homes/ana-home.nix { programs.git.enable = true; } ];\n    };'))
    result = run_migrate(repo, "--dry-run")
    assert "is copied into" not in result.stdout
