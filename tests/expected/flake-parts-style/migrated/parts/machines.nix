{ inputs, self, withHomeManager, ... }:
let
  inherit (inputs.nixpkgs) lib;

  # Every machine: the shared modules, its own folder, and what else it asks for.
  mkMachine =
    name:
    { system ? "x86_64-linux", extraModules ? [ ] }:
    lib.nixosSystem {
      inherit system;
      specialArgs = {
        inherit inputs;
        hostName = name;
      };
      modules = [
        self.nixosModules.common
        ../hosts/${name}
      ] ++ extraModules;
    };
in
{
  # sudo nixos-rebuild switch --flake .#orca
  flake.nixosConfigurations = {
    orca = withHomeManager (mkMachine "orca" { extraModules = [ self.nixosModules.desktop ]; }) {
      useGlobalPkgs = true;
      extraSpecialArgs = { inherit inputs; };
      users.sam.imports = [ self.homeModules.sam self.homeModules.desktop ];
    };

    kestrel = withHomeManager (mkMachine "kestrel" {
      extraModules = [
        self.nixosModules.desktop
        inputs.nixos-hardware.nixosModules.framework-13-7040-amd  # the laptop
      ];
    }) {
      useGlobalPkgs = true;
      extraSpecialArgs = { inherit inputs; };
      users.sam.imports = [
        self.homeModules.sam
        self.homeModules.desktop
        ../modules/home/sam/laptop.nix
      ];
    };
  };
}
