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
        tern = mkHost (nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/tern/default.nix ./modules/nixos/common/workstation.nix ];
        }) {
          useGlobalPkgs = true;
          users.mara.imports = [ ./modules/home/mara.nix ];
        };
        skua = mkHost (nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/skua/default.nix ./modules/nixos/common/workstation.nix ];
        }) {
          useGlobalPkgs = true;
          users.mara.imports = [ ./modules/home/mara.nix ];
        };
        kiln = mkHost (nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/kiln/default.nix ./modules/nixos/common/workstation.nix ];
        }) {
          useGlobalPkgs = true;
          users.mara.imports = [ ./modules/home/mara.nix ./modules/home/cuda.nix ];
        };
        # backups only; nobody has a home here
        vault = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/vault/default.nix ];
        };
      };

      # `home-manager switch --flake .` picks mara@<hostname> when there is one, else mara
      homeConfigurations = {
        # mara: Home Manager now runs as a NixOS module on skua, tern (see mkHost)
        # kiln is the GPU box: same home plus the CUDA toolchain
        # mara@kiln: Home Manager now runs as a NixOS module on kiln (see mkHost)
      };
    };
}
