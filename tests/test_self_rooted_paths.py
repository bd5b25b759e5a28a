"""`"${self}/modules/home-manager"`: a folder named from the flake's root inside a string.
The analysis follows such imports (the files are modules of the home, not orphans), and
the layout keeps that folder where it is, since no path rewrite reaches the string, while
the rest of the repository takes the full layout."""

from __future__ import annotations


import pytest

from flake_eval import evaluate_repo
from migrate.analyze.analysis import analyze
from migrate.snapshot import from_directory
from nixcheck import requires_nix
from repo_files import run_migrate, write_files

FLAKE = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      # shared Home Manager modules, handed to every home
      hmModules = "${self}/modules/home-manager";
    in {
      nixosConfigurations.lark = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit self; };
        modules = [ ./machines/lark/configuration.nix ];
      };
      homeConfigurations."kai@lark" = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        extraSpecialArgs = { inherit hmModules; };
        modules = [ ./users/kai.nix ];
      };
    };
}
"""

FILES = {
    "flake.nix": FLAKE,
    "machines/lark/configuration.nix": "{ self, ... }:\n{\n  imports = [\n    ./hardware-configuration.nix\n"
                                       "    (self + \"/modules/nixos/printing.nix\")\n  ];\n"
                                       "  users.users.kai.isNormalUser = true;\n"
                                       "  sops.defaultSopsFile = \"${self}/machines/lark/secrets.yaml\";\n}\n",
    "machines/lark/secrets.yaml": "wifi: ENC[AES256_GCM,data:xxxx]\n",
    "modules/nixos/printing.nix": "{ ... }: { services.printing.enable = true; }\n",
    "machines/lark/hardware-configuration.nix": "{ ... }: { fileSystems.\"/\".device = \"/dev/sda1\"; }\n",
    "users/kai.nix": "{ hmModules, ... }:\n{\n  imports = [\n    \"${hmModules}/shell\"\n    ./git.nix\n  ];\n"
                     "  home.stateVersion = \"24.05\";\n}\n",
    "users/git.nix": "{ ... }: { programs.git.enable = true; }\n",
    "modules/home-manager/shell/default.nix": "# the shell every home gets\n{ ... }: { programs.bash.enable = true; }\n",
}


@pytest.fixture()
def repo(tmp_path):
    return write_files(tmp_path / "dotfiles", FILES)


def test_the_analysis_follows_an_import_named_from_the_flake_root(repo):
    analysis = analyze(from_directory(repo))
    assert "modules/home-manager/shell/default.nix" in analysis.homes["kai@lark"].files
    assert "modules/nixos/printing.nix" in analysis.hosts["lark"].files  # `self + "/modules/..."`
    assert analysis.files["modules/home-manager/shell/default.nix"].role == "user"
    assert not [w for w in analysis.warnings if "does not exist" in w.message]


@requires_nix
def test_the_folder_named_from_the_root_stays_and_the_rest_takes_the_layout(repo, tmp_path):
    out = tmp_path / "out"
    result = run_migrate(repo, "--out", out)
    assert ("modules/home-manager stays where it is: `\"${self}/modules/home-manager\"` names it from the flake's "
            "root, in a string the layout does not rewrite (flake.nix:8:20)") in result.stdout
    shell = "modules/home-manager/shell/default.nix"
    assert (out / shell).read_text() == FILES[shell]
    # A file the host names from the root keeps its place while its folder moves.
    assert "machines/lark/secrets.yaml stays where it is: `\"${self}/machines/lark/secrets.yaml\"`" in result.stdout
    assert (out / "machines/lark/secrets.yaml").is_file() and not (out / "hosts/lark/secrets.yaml").exists()
    assert "hosts/lark/hardware-configuration.nix" in {str(p.relative_to(out)) for p in out.rglob("*.nix")}
    assert (out / "hosts/lark/default.nix").is_file() and (out / "modules/home/default.nix").is_file()
    assert 'hmModules = "${self}/modules/home-manager";' in (out / "flake.nix").read_text()
    after = evaluate_repo(out)
    kai = after["nixos"]["lark"]["home_manager"]["users"]["kai"]
    assert sorted(kai["modules"]) == ["modules/home-manager/shell/default.nix", "modules/home/default.nix",
                                      "modules/home/git.nix"]
