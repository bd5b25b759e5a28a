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
      overlays.default = import ./overlays;

      # `nix run .#wl-ocr` on machines without my home
      packages.x86_64-linux.wl-ocr = nixpkgs.legacyPackages.x86_64-linux.callPackage ./pkgs/wl-ocr { };

      nixosConfigurations = {
        # sudo nixos-rebuild switch --flake .#plover
        plover = mkHost (nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/plover ];
        }) {
          useGlobalPkgs = false;
          extraSpecialArgs = { inherit inputs; };
          users.maren.imports = [
            # hm-migrate: config and overlays of maren@plover's standalone `pkgs`
            ({ lib, ... }: {
              nixpkgs.config = lib.mkDefault { allowUnfree = true; joypixels.acceptLicense = true; };
              nixpkgs.overlays = [
                (import ./overlays)
                inputs.emacs-overlay.overlays.default
              ];
            })
            ./modules/home/maren
            ./modules/home/maren/plover.nix
          ];
        };
        bittern = mkHost (nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./hosts/bittern
          ];
        }) {
          useGlobalPkgs = false;
          extraSpecialArgs = { inherit inputs; };
          users.jonas.imports = [
            # hm-migrate: config and overlays of jonas@bittern's standalone `pkgs`
            ({ lib, ... }: {
              nixpkgs.config = lib.mkDefault { allowUnfree = true; joypixels.acceptLicense = true; };
              nixpkgs.overlays = [
                (import ./overlays)
                inputs.emacs-overlay.overlays.default
              ];
            })
            ./modules/home/jonas
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
            ./modules/home/maren
            ./modules/home/maren/bittern.nix
          ];
          users.pia.imports = [
            # hm-migrate: the nixpkgs input (nixpkgs-unstable) of pia@bittern's standalone `pkgs`
            {
              _module.args.pkgsPath = inputs.nixpkgs-unstable;
            }
            ./modules/home/pia.nix
          ];
        };
      };

      homeConfigurations = {
        # maren@plover: Home Manager now runs as a NixOS module on plover (see mkHost)
        # maren@bittern: Home Manager now runs as a NixOS module on bittern (see mkHost)
        # jonas@bittern: Home Manager now runs as a NixOS module on bittern (see mkHost)
        # pia: prismlauncher & co. move fast, so her account takes unstable as
        # it comes (nothing unfree, no overlays)
        # pia@bittern: Home Manager now runs as a NixOS module on bittern (see mkHost)

        # work laptop, Ubuntu + nix (IT says no to reinstalling it).
        # Unstable: the Ubuntu side is old enough already.
        "maren@gannet" = home-manager.lib.homeManagerConfiguration {
          pkgs = import inputs.nixpkgs-unstable {
            system = "x86_64-linux";
            config.allowUnfree = true; # slack, zoom
          };
          extraSpecialArgs = { inherit inputs; };
          modules = [
            ./modules/home/maren
            ./modules/home/maren/gannet.nix
          ];
        };
      };
    };
}
