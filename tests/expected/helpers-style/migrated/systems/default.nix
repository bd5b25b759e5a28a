{ inputs, lib }:
let
  workstations = import ./workstations.nix { inherit lib; };
  servers = import ./servers.nix { inherit lib; };
in
{
  # one set for `nixos-rebuild --flake .#NAME`, whatever the kind of machine
  nixosConfigurations = lib.mergeAttrsList [
    workstations
    servers
  ];
}
