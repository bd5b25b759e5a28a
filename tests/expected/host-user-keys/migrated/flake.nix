{
  description = "the Varga household: one flake for every machine and every person";

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
      system = "x86_64-linux";

      mkSystem =
        machine:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs; };
          modules = [
            machine
            ./modules/nixos/shared
          ];
        };

      # One configuration per person and machine, switched with
      #   home-manager switch --flake .#<machine>-<person>
      mkHome =
        host: user:
        home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.${system};
          extraSpecialArgs = { inherit inputs; };
          modules = [
            ./modules/home/profiles/base.nix
            ./modules/home/${host}/${user}
          ];
        };

      # hm-migrate: adds Home Manager's NixOS module and the host's users to a host built as before
      withHomeManager =
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
      nixosConfigurations = {
        lumen = withHomeManager (mkSystem ./hosts/lumen) {
          useGlobalPkgs = true;
          extraSpecialArgs = { inherit inputs; };
          users.ines.imports = [ ./modules/home/profiles/base.nix ./modules/home/lumen/ines ];
          users.otto.imports = [ ./modules/home/profiles/base.nix ./modules/home/lumen/otto ];
        };
        basalt = withHomeManager (mkSystem ./hosts/basalt) {
          useGlobalPkgs = true;
          extraSpecialArgs = { inherit inputs; };
          users.ines.imports = [ ./modules/home/profiles/base.nix ./modules/home/basalt/ines ];
        };
        quartz = mkSystem ./hosts/quartz;
      };
    };
}
