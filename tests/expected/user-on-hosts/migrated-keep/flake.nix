{
  description = "mara's fleet";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { nixpkgs, home-manager, ... }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};

      # Home Manager runs as a NixOS module (migrated by hm-migrate): mkHost builds a host
      # from what the hosts share, its own modules and its users' Home Manager configuration.
      mkHost =
        name:
        { users, modules ? [ ] }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = true;
                useUserPackages = true;
                backupFileExtension = "hm-backup";
                inherit users;
              };
            }
          ] ++ modules;
        };
    in
    {
      nixosConfigurations = {
        tern = mkHost "tern" {
          modules = [
            ./machines/tern.nix ./common/workstation.nix
          ];
          users.mara.imports = [ ./home/mara.nix ];
        };
        skua = mkHost "skua" {
          modules = [
            ./machines/skua.nix ./common/workstation.nix
          ];
          users.mara.imports = [ ./home/mara.nix ];
        };
        kiln = mkHost "kiln" {
          modules = [
            ./machines/kiln.nix ./common/workstation.nix
          ];
          users.mara.imports = [ ./home/mara.nix ./home/cuda.nix ];
        };
        # backups only; nobody has a home here
        vault = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./machines/vault.nix ];
        };
      };
    };
}
