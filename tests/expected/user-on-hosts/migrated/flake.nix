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
        { users }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [
            ./hosts/${name}/default.nix
            ./modules/nixos/common/workstation.nix
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = true;
                useUserPackages = true;
                backupFileExtension = "hm-backup";
                inherit users;
              };
            }
          ];
        };
    in
    {
      nixosConfigurations = {
        tern = mkHost "tern" {
          users.mara.imports = [ ./modules/home/mara.nix ];
        };
        skua = mkHost "skua" {
          users.mara.imports = [ ./modules/home/mara.nix ];
        };
        kiln = mkHost "kiln" {
          users.mara.imports = [ ./modules/home/mara.nix ./modules/home/cuda.nix ];
        };
        # backups only; nobody has a home here
        vault = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/vault/default.nix ];
        };
      };
    };
}
