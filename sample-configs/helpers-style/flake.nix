{
  description = "Lena's fleet: two workstations, one server, helpers in lib/";

  inputs = {
    # stable for the machines, unstable only for a few packages
    nixpkgs-stable.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";

    home-manager-stable = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs-stable";
    };

    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs =
    { self, nixpkgs-stable, flake-utils, ... }@inputs:
    let
      # nixpkgs' lib plus ours (lib.my.*), see lib/default.nix
      lib = import ./lib { inherit inputs; };
    in
    {
      # nixos-rebuild switch --flake .#atlas
      inherit (import ./systems { inherit inputs lib; }) nixosConfigurations;

      nixosModules.common = ./common;
    }
    // flake-utils.lib.eachDefaultSystem (
      system:
      let
        pkgs = import nixpkgs-stable { inherit system; };
      in
      {
        formatter = pkgs.nixfmt-rfc-style;

        # `home-manager switch --flake .` finds these under legacyPackages.<system>
        legacyPackages.homeConfigurations = lib.my.mkHomes pkgs {
          "lena@atlas" = [ ./home/lena ./home/lena/desktop.nix ];
          "lena@borealis" = [ ./home/lena ];
          "ops@cinder" = [ ./home/ops ];
          # the school Chromebook (Crostini, Debian underneath)
          "lena@penguin" = [ ./home/lena ./home/lena/crostini.nix ];
        };
      }
    );
}
