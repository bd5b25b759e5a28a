{
  description = "NixOS configuration of lark, with Home Manager as a NixOS module";

  # Created by hm-migrate from a channels setup: the inputs replace the channels
  # (pinned to release 24.05, from stateVersion; check `sudo nix-channel --list`).
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    nixos-hardware.url = "github:NixOS/nixos-hardware";
    nixos-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  };

  outputs =
    { self, nixpkgs, home-manager, ... }@inputs:
    let
      # Home Manager runs as a NixOS module (migrated by hm-migrate): each host is built
      # exactly as before and mkHost adds the home-manager NixOS module with the host's
      # users, which used to be run on their own with `home-manager switch`.
      mkHost =
        host: homeManager:
        host.extendModules {
          modules = [
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useUserPackages = true;
                backupFileExtension = "hm-backup";
              } // homeManager;
            }
          ];
        };
    in
    {
      # sudo nixos-rebuild switch --flake .#lark
      nixosConfigurations.lark = mkHost (nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./configuration.nix ];
      }) {
        useGlobalPkgs = false;
        extraSpecialArgs = { inherit inputs; };
        users.priya.imports = [ ./home.nix ];
      };
    };
}
