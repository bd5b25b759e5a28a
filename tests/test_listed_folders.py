"""A folder whose entries a module imports by listing it (`builtins.readDir ./.`) is named
as a whole: when one of its sub-folders has to stay (here one named from the flake's
root, `"${self}/system/services/web/${hostname}.nix"`), the folder stays with it, and the
rest of the repository still takes the full layout. Following the folder's default.nix instead would
leave the listing without the sub-folder that stayed."""

from __future__ import annotations


from flake_eval import evaluate_repo
from nixcheck import requires_nix
from repo_files import run_migrate, write_files

FILES = {
    "flake.nix": """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  outputs = { self, nixpkgs, home-manager, ... }:
    let
      mkHost = hostname: entry: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit hostname self; };
        modules = [ entry ];
      };
      mkHome = hostname: home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        modules = [ ./home/ana.nix ];
      };
    in {
      nixosConfigurations.alpha = mkHost "alpha" ./machines/alpha/configuration.nix;
      nixosConfigurations.beta = mkHost "beta" ./machines/beta/configuration.nix;
      homeConfigurations."ana@alpha" = mkHome "alpha";
      homeConfigurations."ana@beta" = mkHome "beta";
    };
}
""",
    "machines/alpha/configuration.nix": "{ ... }:\n{\n  imports = [ ./hardware-configuration.nix ../../system ];\n}\n",
    "machines/alpha/hardware-configuration.nix": "{ ... }: { boot.loader.grub.device = \"/dev/sda\"; }\n",
    "machines/beta/configuration.nix": "{ ... }:\n{\n  imports = [ ./hardware-configuration.nix ../../system ];\n}\n",
    "machines/beta/hardware-configuration.nix": "{ ... }: { boot.loader.grub.device = \"/dev/vda\"; }\n",
    "system/default.nix": "{ ... }: { imports = [ ./services ]; }\n",
    "system/services/default.nix": """# every folder here is a service module
{ lib, ... }:
let
  here = ./.;
  folders = lib.filterAttrs (name: type: type == "directory") (builtins.readDir here);
in
{
  imports = lib.mapAttrsToList (name: _: import (here + "/${name}")) folders;
}
""",
    "system/services/web/default.nix": "{ self, hostname, ... }:\n{\n  imports = [ \"${self}/system/services/web/${hostname}.nix\" ];\n}\n",
    "system/services/web/alpha.nix": "{ ... }: { services.nginx.enable = true; }\n",
    "system/services/web/beta.nix": "{ ... }: { services.caddy.enable = true; }\n",
    "system/services/ssh/default.nix": "{ ... }: { services.openssh.enable = true; }\n",
    "home/ana.nix": "{ ... }: { home.stateVersion = \"24.05\"; }\n",
}


@requires_nix
def test_a_listed_folder_stays_whole_and_the_rest_takes_the_layout(tmp_path):
    repo = write_files(tmp_path / "dotfiles", FILES)
    out = tmp_path / "out"
    result = run_migrate(repo, "--out", out)
    assert "every file stays where it is" not in result.stdout
    assert ("system/services/web stays where it is: `\"${self}/system/services/web/...\"` names it from the "
            "flake's root") in result.stdout
    assert ("system/services stays where it is: `./services` names this folder, whose files the full layout would "
            "send to different places (system/default.nix:1:24)") in result.stdout
    for path in ("system/services/web/alpha.nix", "system/services/ssh/default.nix", "system/services/default.nix"):
        assert (out / path).read_text() == FILES[path]
    assert (out / "hosts/alpha/hardware-configuration.nix").is_file()
    after = evaluate_repo(out)
    alpha = after["nixos"]["alpha"]["modules"]
    assert {"system/services/ssh/default.nix", "system/services/web/default.nix",
            "system/services/web/alpha.nix"} <= set(alpha)
    assert "system/services/web/beta.nix" not in alpha
    assert sorted(after["nixos"]["beta"]["home_manager"]["users"]) == ["ana"]
