{
  description = "Sam's machines, one flake-parts module per concern";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-parts.url = "github:hercules-ci/flake-parts";
    # flake-parts pins its own nixpkgs-lib; one nixpkgs is enough
    flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    nixos-hardware.url = "github:NixOS/nixos-hardware";

    nix-darwin.url = "github:LnL7/nix-darwin/nix-darwin-24.11";
    nix-darwin.inputs.nixpkgs.follows = "nixpkgs";
  };

  outputs = inputs@{ flake-parts, ... }:
    let
      # hm-migrate: adds Home Manager's NixOS module and the host's users to a host built as before
      withHomeManager =
        host: homeManager:
        host.extendModules {
          modules = [
            inputs.home-manager.nixosModules.home-manager
            {
              home-manager = {
                useUserPackages = true;
                backupFileExtension = "hm-backup";
              } // homeManager;
            }
          ];
        };
    in
    flake-parts.lib.mkFlake { inherit inputs; } {
      # x86 desktops, the ARM box in the cupboard, the work Mac
      systems = [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ];

      imports = [
        ./parts/packages.nix
        ./parts/modules.nix
        ./parts/machines.nix # orca + kestrel
        ./parts/ferry.nix    # the server has a file of its own
        ./parts/homes.nix
        ./parts/mac.nix
      ];

      perSystem = { pkgs, ... }: {
        formatter = pkgs.nixfmt-rfc-style;
        devShells.default = pkgs.mkShell {
          packages = [ pkgs.nil pkgs.just ];
        };
      };
      # hm-migrate: the flake modules that build hosts take withHomeManager as a module argument
      _module.args.withHomeManager = withHomeManager;
    };
}
