{
  description = "alice's machines (nimbus, cirrus) + bob on cirrus";

  inputs = {
    # Nixpkgs
    nixpkgs.url = "github:nixos/nixpkgs/nixos-24.11";
    # a few things come from unstable, see overlays/default.nix
    nixpkgs-unstable.url = "github:nixos/nixpkgs/nixos-unstable";

    # Home manager
    home-manager.url = "github:nix-community/home-manager/release-24.11";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";

    hardware.url = "github:nixos/nixos-hardware";

    nix-index-database.url = "github:nix-community/nix-index-database";
    nix-index-database.inputs.nixpkgs.follows = "nixpkgs";
  };

  outputs = {
    self,
    nixpkgs,
    home-manager,
    ...
  } @ inputs: let
    inherit (self) outputs;
    systems = [
      "aarch64-linux"
      "x86_64-linux"
    ];
    forAllSystems = nixpkgs.lib.genAttrs systems;
  in {
    # my own packages, `nix build .#wake-nimbus`
    packages = forAllSystems (system: import ./pkgs nixpkgs.legacyPackages.${system});
    formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.alejandra);

    overlays = import ./overlays {inherit inputs;};
    # nothing in here yet, kept so the shape matches the template I copied from
    nixosModules = import ./modules/nixos;
    # homeManagerModules = import ./modules/home-manager;

    # sudo nixos-rebuild switch --flake .#nimbus
    nixosConfigurations = {
      # desktop in the study (also runs jellyfin)
      nimbus = nixpkgs.lib.nixosSystem {
        specialArgs = {inherit inputs outputs;};
        modules = [./nixos/nimbus/configuration.nix];
      };
      # the thinkpad, shared with bob
      cirrus = nixpkgs.lib.nixosSystem {
        specialArgs = {inherit inputs outputs;};
        modules = [./nixos/cirrus/configuration.nix];
      };
    };

    # home-manager switch --flake .#alice@nimbus
    homeConfigurations = {
      "alice@nimbus" = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux; # Home-manager requires 'pkgs' instance
        extraSpecialArgs = {inherit inputs outputs;};
        modules = [
          ./home-manager/alice/home.nix
          ./home-manager/alice/nimbus.nix
        ];
      };
      "alice@cirrus" = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        extraSpecialArgs = {inherit inputs outputs;};
        modules = [
          ./home-manager/alice/home.nix
          ./home-manager/alice/cirrus.nix
        ];
      };
      "bob@cirrus" = home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        extraSpecialArgs = {inherit inputs outputs;};
        modules = [./home-manager/bob/home.nix];
      };
    };
  };
}
