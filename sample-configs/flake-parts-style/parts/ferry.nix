# ferry: the Raspberry Pi-class box that runs backups. It builds with the
# same package set as perSystem (unfree allowed), for aarch64.
{ inputs, withSystem, ... }:
{
  flake.nixosConfigurations.ferry = withSystem "aarch64-linux" (
    { pkgs, ... }:
    inputs.nixpkgs.lib.nixosSystem {
      specialArgs = { inherit inputs; hostName = "ferry"; };
      modules = [
        ../nixos/common.nix
        ../machines/ferry
        { nixpkgs.pkgs = pkgs; }
      ];
    }
  );
}
