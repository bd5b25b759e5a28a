# pebble: 13" laptop, i5-1240P
{ lib, ... }:
{
  imports = [
    ./hardware-configuration.nix
    ./power.nix
  ];

  networking.hostName = "pebble";

  boot.loader.systemd-boot.enable = true;
  boot.loader.systemd-boot.configurationLimit = 5;
  boot.loader.efi.canTouchEfiVariables = true;

  services.fprintd.enable = true;
  hardware.sensor.iio.enable = true; # auto-brightness

  system.stateVersion = "25.05";
}
