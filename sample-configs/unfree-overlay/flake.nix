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
    in
    {
      overlays.default = import ./overlays;

      # `nix run .#wl-ocr` on machines without my home
      packages.x86_64-linux.wl-ocr = nixpkgs.legacyPackages.x86_64-linux.callPackage ./pkgs/wl-ocr { };

      nixosConfigurations = {
        # sudo nixos-rebuild switch --flake .#plover
        plover = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/plover ];
        };
        bittern = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./hosts/bittern
          ];
        };
      };

      homeConfigurations = {
        "maren@plover" = home-manager.lib.homeManagerConfiguration {
          inherit pkgs;
          extraSpecialArgs = { inherit inputs; };
          modules = [ ./home/maren ./home/maren/plover.nix ];
        };
        "maren@bittern" = home-manager.lib.homeManagerConfiguration {
          inherit pkgs;
          extraSpecialArgs = { inherit inputs; };
          modules = [ ./home/maren ./home/maren/bittern.nix ];
        };
        "jonas@bittern" = home-manager.lib.homeManagerConfiguration {
          inherit pkgs;
          extraSpecialArgs = { inherit inputs; };
          modules = [ ./home/jonas ];
        };
        # pia: prismlauncher & co. move fast, so her account takes unstable as
        # it comes (nothing unfree, no overlays)
        "pia@bittern" = home-manager.lib.homeManagerConfiguration {
          pkgs = inputs.nixpkgs-unstable.legacyPackages.x86_64-linux;
          extraSpecialArgs = { inherit inputs; };
          modules = [ ./home/pia.nix ];
        };

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
