{
  description = "plover + bittern (NixOS), gannet (work, Ubuntu); home-manager standalone";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    # pia's account and the work laptop
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";

    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    # emacs 30 (pgtk) without building it myself -- the cache has it
    emacs-overlay = {
      url = "github:nix-community/emacs-overlay";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, home-manager, ... }@inputs:
    let
      # The package set home-manager builds from. NOT the system's:
      #  - unfree is allowed here and only here (spotify, obsidian, discord)
      #  - JoyPixels wants its licence accepted explicitly
      #  - my overlay + emacs-overlay are only needed in the homes
      # (nixos-rebuild never sees any of this)
      pkgs = import nixpkgs {
        system = "x86_64-linux";
        config.allowUnfree = true;
        config.joypixels.acceptLicense = true;
        overlays = [
          (import ./overlays)
          inputs.emacs-overlay.overlays.default
        ];
      };

      # Home Manager runs as a NixOS module (migrated by hm-migrate): mkHost builds a host
      # from what the hosts share, its own modules and its users' Home Manager configuration.
      mkHost =
        name:
        { users }:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./hosts/${name}
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = false;
                useUserPackages = true;
                backupFileExtension = "hm-backup";
                extraSpecialArgs = { inherit inputs; };
                inherit users;
              };
            }
          ];
        };
    in
    {
      overlays.default = import ./overlays;

      # `nix run .#wl-ocr` on machines without my home
      packages.x86_64-linux.wl-ocr = nixpkgs.legacyPackages.x86_64-linux.callPackage ./pkgs/wl-ocr { };

      nixosConfigurations = {
        # sudo nixos-rebuild switch --flake .#plover
        plover = mkHost "plover" {
          users.maren.imports = [
            # hm-migrate: config and overlays of maren@plover's standalone `pkgs`
            ({ lib, ... }: {
              nixpkgs.config = lib.mkDefault { allowUnfree = true; joypixels.acceptLicense = true; };
              nixpkgs.overlays = [
                (import ./overlays)
                inputs.emacs-overlay.overlays.default
              ];
            })
            ./home/maren
            ./home/maren/plover.nix
          ];
        };
        bittern = mkHost "bittern" {
          users.jonas.imports = [
            # hm-migrate: config and overlays of jonas@bittern's standalone `pkgs`
            ({ lib, ... }: {
              nixpkgs.config = lib.mkDefault { allowUnfree = true; joypixels.acceptLicense = true; };
              nixpkgs.overlays = [
                (import ./overlays)
                inputs.emacs-overlay.overlays.default
              ];
            })
            ./home/jonas
          ];
          users.maren.imports = [
            # hm-migrate: config and overlays of maren@bittern's standalone `pkgs`
            ({ lib, ... }: {
              nixpkgs.config = lib.mkDefault { allowUnfree = true; joypixels.acceptLicense = true; };
              nixpkgs.overlays = [
                (import ./overlays)
                inputs.emacs-overlay.overlays.default
              ];
            })
            ./home/maren
            ./home/maren/bittern.nix
          ];
          users.pia.imports = [
            # hm-migrate: the nixpkgs input (nixpkgs-unstable) of pia@bittern's standalone `pkgs`
            {
              _module.args.pkgsPath = inputs.nixpkgs-unstable;
            }
            ./home/pia.nix
          ];
        };
      };

      homeConfigurations = {
        # work laptop, Ubuntu + nix (IT says no to reinstalling it).
        # Unstable: the Ubuntu side is old enough already.
        "maren@gannet" = home-manager.lib.homeManagerConfiguration {
          pkgs = import inputs.nixpkgs-unstable {
            system = "x86_64-linux";
            config.allowUnfree = true; # slack, zoom
          };
          extraSpecialArgs = { inherit inputs; };
          modules = [
            ./home/maren
            ./home/maren/gannet.nix
          ];
        };
      };
    };
}
