{
  description = "the Varga household: one flake for every machine and every person";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { self, nixpkgs, home-manager, ... }@inputs:
    let
      system = "x86_64-linux";

      mkSystem =
        machine:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs; };
          modules = [
            machine
            ./systems/shared
          ];
        };

      # One configuration per person and machine, switched with
      #   home-manager switch --flake .#<machine>-<person>
      mkHome =
        host: user:
        home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.${system};
          extraSpecialArgs = { inherit inputs; };
          modules = [
            ./homes/profiles/base.nix
            ./homes/${host}/${user}
          ];
        };
    in
    {
      nixosConfigurations = {
        lumen = mkSystem ./systems/lumen;
        basalt = mkSystem ./systems/basalt;
        quartz = mkSystem ./systems/quartz;
      };

      homeConfigurations = {
        lumen-ines = mkHome "lumen" "ines";
        lumen-otto = mkHome "lumen" "otto";
        basalt-ines = mkHome "basalt" "ines";
      };
    };
}
