{
  description = "kestrel: tomas's laptop (NixOS + standalone home-manager)";

  inputs = {
    nixpkgs.url = "github:nixos/nixpkgs/nixos-24.11";
    nixpkgs-unstable.url = "github:nixos/nixpkgs/nixos-unstable";

    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    nixos-hardware.url = "github:NixOS/nixos-hardware/master";

    nixvim = {
      url = "github:nix-community/nixvim/nixos-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, nixpkgs-unstable, home-manager, ... }@inputs:
    let
      system = "x86_64-linux";
      vars   = import ./vars.nix;

      # ghostty + a couple of other things only exist (or are only fresh) on unstable
      unstable = import nixpkgs-unstable { inherit system; config.allowUnfree = true; };
    in
    {
      # sudo nixos-rebuild switch --flake .#kestrel
      nixosConfigurations."kestrel" = nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit inputs vars system; };
        modules = [
          {
            nixpkgs.config.allowUnfree = true;
            nix.settings.experimental-features = [ "nix-command" "flakes" ];
            # so `nix shell nixpkgs#foo` uses the same nixpkgs as the system
            nix.registry.nixpkgs.flake = nixpkgs;
          }
          inputs.nixos-hardware.nixosModules.framework-13-7040-amd
          ./hosts/kestrel/default.nix
          home-manager.nixosModules.home-manager
          {
            home-manager = {
              useGlobalPkgs = true;
              useUserPackages = true;
              backupFileExtension = "hm-backup";
              extraSpecialArgs = { inherit inputs unstable vars; };
              sharedModules = [ inputs.nixvim.homeModules.nixvim ];
              users.tomas.imports = [ ./modules/home ];
            };
          }
        ];
      };

      # `nix run .#backup` works without switching anything
      packages.${system}.backup = nixpkgs.legacyPackages.${system}.callPackage ./pkgs/backup.nix { };

      formatter.${system} = nixpkgs.legacyPackages.${system}.nixfmt-rfc-style;
    };
}
