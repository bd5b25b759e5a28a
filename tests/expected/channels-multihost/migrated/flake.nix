{
  description = "NixOS configuration of falcon, heron and owl, with Home Manager as a NixOS module";

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
      # sudo nixos-rebuild switch --flake .#falcon
      nixosConfigurations.falcon = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [
          ./hosts/falcon/configuration.nix
          home-manager.nixosModules.home-manager
          {
            home-manager = {
              useGlobalPkgs = true;
              useUserPackages = true;
              backupFileExtension = "bak";
              extraSpecialArgs = { inherit inputs; };
              users.mira.imports = [ ./hosts/falcon/home.nix ];
            };
          }
        ];
      };

      # sudo nixos-rebuild switch --flake .#heron
      nixosConfigurations.heron = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [
          ./hosts/heron/configuration.nix
          home-manager.nixosModules.home-manager
          {
            home-manager = {
              useGlobalPkgs = true;
              useUserPackages = true;
              backupFileExtension = "bak";
              extraSpecialArgs = { inherit inputs; };
              users.mira.imports = [ ./hosts/heron/home.nix ];
            };
          }
        ];
      };

      # sudo nixos-rebuild switch --flake .#owl
      nixosConfigurations.owl = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/owl/configuration.nix ];
      };
    };
}
