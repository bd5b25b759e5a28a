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
            ./systems/shared
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
            ./homes/profiles/base.nix
            ./homes/${host}/${user}
          ];
        };

      # Home Manager runs as a NixOS module (migrated by hm-migrate): each host is built
      # exactly as before and mkHost adds the home-manager NixOS module with the host's
      # users, which used to be standalone homeConfigurations.
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
      nixosConfigurations = {
        lumen = mkHost (mkSystem ./systems/lumen) {
          useGlobalPkgs = true;
          extraSpecialArgs = { inherit inputs; };
          users.ines.imports = [ ./homes/profiles/base.nix ./homes/lumen/ines ];
          users.otto.imports = [ ./homes/profiles/base.nix ./homes/lumen/otto ];
        };
        basalt = mkHost (mkSystem ./systems/basalt) {
          useGlobalPkgs = true;
          extraSpecialArgs = { inherit inputs; };
          users.ines.imports = [ ./homes/profiles/base.nix ./homes/basalt/ines ];
        };
        quartz = mkSystem ./systems/quartz;
      };

      homeConfigurations = {
        # lumen-ines: Home Manager now runs as a NixOS module on lumen (see mkHost)
        # lumen-otto: Home Manager now runs as a NixOS module on lumen (see mkHost)
        # basalt-ines: Home Manager now runs as a NixOS module on basalt (see mkHost)
      };
    };
}
