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

      # hm-migrate: adds Home Manager's NixOS module and the host's users to a host built as before
      withHomeManager =
        host: homeManager:
        host.extendModules {
          modules = [
            inputs.home-manager-stable.nixosModules.home-manager
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
      # nixos-rebuild switch --flake .#atlas
      nixosConfigurations =
        let
          # hm-migrate: each host's Home Manager users; a host not listed is built as before
          homeManagerOf = {
            atlas = {
              useGlobalPkgs = true;
              extraSpecialArgs = { inherit inputs; };
              users.lena.imports = [ ./home/lena ./home/lena/desktop.nix ];
            };
            borealis = {
              useGlobalPkgs = true;
              extraSpecialArgs = { inherit inputs; };
              users.lena.imports = [ ./home/lena ];
            };
            cinder = {
              useGlobalPkgs = true;
              extraSpecialArgs = { inherit inputs; };
              users.ops.imports = [ ./home/ops ];
            };
          };
        in
        builtins.mapAttrs (
          name: host: if homeManagerOf ? ${name} then withHomeManager host homeManagerOf.${name} else host
        ) (import ./systems { inherit inputs lib; }).nixosConfigurations;

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
        # hm-migrate: lena@atlas, lena@borealis, ops@cinder: Home Manager now runs as a NixOS module on atlas, borealis, cinder (see withHomeManager)
        legacyPackages.homeConfigurations = builtins.removeAttrs (lib.my.mkHomes pkgs {
          "lena@atlas" = [ ./home/lena ./home/lena/desktop.nix ];
          "lena@borealis" = [ ./home/lena ];
          "ops@cinder" = [ ./home/ops ];
          # the school Chromebook (Crostini, Debian underneath)
          "lena@penguin" = [ ./home/lena ./home/lena/crostini.nix ];
        }) [ "lena@atlas" "lena@borealis" "ops@cinder" ];
      }
    );
}
