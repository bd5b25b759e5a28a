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
    in
    {
      nixosConfigurations = {
        tern = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./machines/tern.nix ./common/workstation.nix ];
        };
        skua = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./machines/skua.nix ./common/workstation.nix ];
        };
        kiln = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./machines/kiln.nix ./common/workstation.nix ];
        };
        # backups only; nobody has a home here
        vault = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./machines/vault.nix ];
        };
      };

      # `home-manager switch --flake .` picks mara@<hostname> when there is one, else mara
      homeConfigurations = {
        mara = home-manager.lib.homeManagerConfiguration {
          inherit pkgs;
          modules = [ ./home/mara.nix ];
        };
        # kiln is the GPU box: same home plus the CUDA toolchain
        "mara@kiln" = home-manager.lib.homeManagerConfiguration {
          inherit pkgs;
          modules = [
            ./home/mara.nix
            ./home/cuda.nix
          ];
        };
      };
    };
}
