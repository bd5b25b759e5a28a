# shard: Intel NUC under the desk, headless. Remote builder + dev box that
# I ssh into from kestrel. Has home-manager but no desktop.
{ inputs, pkgs, ... }:
{
  imports = [
    inputs.nixos-hardware.nixosModules.common-cpu-intel
    ./boot.nix
    ./disks.nix
    ./hardware.nix
    ../_mixins/services/tailscale.nix
  ];

  services.tailscale.useRoutingFeatures = "server";

  virtualisation.podman = {
    enable = true;
    dockerCompat = true;
  };

  nix.settings.max-jobs = 6;
  users.users.dana.extraGroups = [ "podman" ];

  environment.systemPackages = [ pkgs.tmux ];
}
