# pebble: Raspberry Pi 4 in the hallway cupboard (Pi-hole + backups).
# nixos-hardware's raspberry-pi-4 module comes from flake.nix (systems.hosts.pebble.modules).
{ lib, namespace, ... }:
with lib.${namespace};
{
  imports = [ ./hardware.nix ];

  networking.hostName = "pebble";

  cozy.ssh = enabled;
  cozy.desktop = disabled;

  services.pihole-ftl.enable = false; # not in 24.11 yet, see ./README
  services.adguardhome = {
    enable = true;
    openFirewall = true;
  };

  system.stateVersion = "24.05";
}
