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
    {
      # sudo nixos-rebuild switch --flake .#lark
      nixosConfigurations.lark = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [
          ./hosts/lark
          home-manager.nixosModules.home-manager
          {
            home-manager = {
              useGlobalPkgs = false;
              useUserPackages = true;
              backupFileExtension = "hm-backup";
              extraSpecialArgs = { inherit inputs; };
              users.priya.imports = [ ./modules/home ];
            };
          }
        ];
      };
    };
}
