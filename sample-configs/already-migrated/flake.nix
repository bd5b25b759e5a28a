{
  description = "noor's NixOS machines (home-manager runs as a NixOS module)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

    home-manager = {
      url = "github:nix-community/home-manager/release-25.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    nixos-hardware.url = "github:NixOS/nixos-hardware";

    nix-index-database = {
      url = "github:nix-community/nix-index-database";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      home-manager,
      ...
    }@inputs:
    let
      # One function for every machine: the host folder, the shared system
      # modules, and home-manager wired in so `nixos-rebuild` does both.
      mkHost =
        hostname:
        {
          system ? "x86_64-linux",
          extraModules ? [ ],
        }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs hostname; };
          modules = [
            ./hosts/${hostname}
            ./modules/nixos/common.nix
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = true;
                useUserPackages = true;
                backupFileExtension = "hm-backup";
                extraSpecialArgs = { inherit inputs hostname; };
                sharedModules = [ inputs.nix-index-database.hmModules.nix-index ];
                users.noor = import ./modules/home;
              };
            }
          ] ++ extraModules;
        };
    in
    {
      overlays.default = import ./overlays;

      nixosConfigurations = {
        atlas  = mkHost "atlas"  { extraModules = [ ./modules/nixos/desktop.nix ./modules/nixos/gaming.nix ]; };
        pebble = mkHost "pebble" {
          extraModules = [
            ./modules/nixos/desktop.nix
            inputs.nixos-hardware.nixosModules.common-pc-laptop
            inputs.nixos-hardware.nixosModules.common-pc-laptop-ssd
          ];
        };
      };

      formatter.x86_64-linux = nixpkgs.legacyPackages.x86_64-linux.nixfmt-rfc-style;
    };
}
