# juniper: the desktop under the desk.
{ lib, pkgs, namespace, host, monitors, ... }:
let
  inherit (lib.${namespace}) enabled;
in
{
  imports = [
    ./hardware.nix
    ./disks.nix
  ];

  networking.hostName = host;

  ${namespace} = {
    desktop = enabled;
    ssh     = enabled;
    users.wren.extraGroups = [ "video" "libvirtd" ];
  };

  # both screens, left to right
  services.xserver.xrandrHeads = monitors;

  boot.plymouth = {
    enable = true;
    logo = ./splash.png;
  };

  virtualisation.libvirtd.enable = true;

  system.stateVersion = "24.11"; # never change this
}
