{
  description = "kestrel (desktop, Hyprland)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    hyprland.url = "github:hyprwm/Hyprland/v0.45.2"; # pinned: 0.46 broke my plugins
  };

  outputs = { self, nixpkgs, hyprland, ... }@inputs: {
    nixosConfigurations.kestrel = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [
        ./configuration.nix
        hyprland.nixosModules.default
      ];
    };
  };
}
