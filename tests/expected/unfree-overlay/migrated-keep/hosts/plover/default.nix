# plover: MacBook Air 13" (early 2015). Broadcom BCM4360 wifi, so it needs `wl`.
{ config, lib, pkgs, ... }:

{
  imports = [
    ./hardware-configuration.nix
    ../common
  ];

  networking.hostName = "plover";

  # The only unfree package the *system* gets: the wifi driver. Everything
  # else unfree is per user, in home-manager's pkgs (flake.nix).
  nixpkgs.config.allowUnfreePredicate =
    pkg: builtins.elem (lib.getName pkg) [ "broadcom-sta" ];

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;

  # fans stay off until ~90°C without it
  services.mbpfan.enable = true;
  services.tlp.enable = true;
  # the keyboard backlight keys
  services.illum.enable = true;

  services.xserver.xkb.options = "ctrl:nocaps";

  users.users.maren.extraGroups = [ "networkmanager" "video" ];

  system.stateVersion = "24.05";
}
