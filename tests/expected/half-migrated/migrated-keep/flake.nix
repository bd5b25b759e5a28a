{
  description = "wren's machines";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { self, nixpkgs, home-manager, ... }@inputs:
    let
      user = "wren";
      system = "x86_64-linux";
    in
    {
      nixosConfigurations = {
        # Home Manager moved into the system here in April; finch is next.
        heron = nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs user; };
          modules = [
            ./hosts/heron/configuration.nix
            home-manager.nixosModules.home-manager
            {
              home-manager.useGlobalPkgs = true;
              home-manager.useUserPackages = true;
              home-manager.extraSpecialArgs = { inherit user; };
              home-manager.users.${user} = import ./home/heron.nix;
            }
          ];
        };

        finch = nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs user; };
          modules = [
            ./hosts/finch/configuration.nix
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = true;
                useUserPackages = true;
                backupFileExtension = "hm-backup";
                extraSpecialArgs = { inherit user; };
                users.wren.imports = [ ./home/finch.nix ];
              };
            }
          ];
        };

        # no desktop, no home-manager
        gull = nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs user; };
          modules = [ ./hosts/gull/configuration.nix ];
        };
      };

      homeConfigurations = {
        # the work laptop (Fedora), not one of these machines
        "wren@studio" = home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.${system};
          extraSpecialArgs = { inherit user; };
          modules = [ ./home/studio.nix ];
        };
      };
    };
}
