{
  description = "kestrel (desktop, Hyprland)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    hyprland.url = "github:hyprwm/Hyprland/v0.45.2"; # pinned: 0.46 broke my plugins
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, hyprland, ... }@inputs: {
    nixosConfigurations.kestrel = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [
        ./configuration.nix
        hyprland.nixosModules.default
        inputs.home-manager.nixosModules.home-manager
        {
          # Home Manager as a NixOS module (hm-migrate): sam, which home-manager/flake.nix builds standalone
          home-manager.useGlobalPkgs = true;
          home-manager.useUserPackages = true;
          home-manager.backupFileExtension = "hm-backup";
          home-manager.users.sam.imports = [ ../home-manager/home.nix ];
        }
      ];
    };
  };
}
