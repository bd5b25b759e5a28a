# falcon: ThinkPad T14, my daily machine.
#   sudo nixos-rebuild switch -I nixos-config=hosts/falcon/configuration.nix
{ config, lib, pkgs, ... }:

{
  imports =
    [ # Include the results of the hardware scan.
      ./hardware-configuration.nix
      <nixos-hardware/lenovo/thinkpad/t14>
      ../../common/base.nix
      ../../common/desktop.nix
      ./power.nix
      <home-manager/nixos>
    ];

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;

  networking.hostName = "falcon";
  networking.networkmanager.enable = true;

  services.fprintd.enable = true;

  # Do not change after install (see `man configuration.nix`).
  system.stateVersion = "24.05";
  home-manager = {
    useGlobalPkgs = true;
    useUserPackages = true;
    backupFileExtension = "bak";
    users.mira = import ./home.nix;
  };
}
