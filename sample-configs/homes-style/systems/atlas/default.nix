# atlas -- the big desktop in the office. Ryzen 9 7900, RX 7800 XT.
{ inputs, pkgs, ... }:
{
  imports = [
    inputs.nixos-hardware.nixosModules.common-cpu-amd-pstate
    ./hardware-configuration.nix
    ./gpu.nix
  ];

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  boot.kernelPackages = pkgs.linuxPackages_6_12;

  rhea.desktop.enable = true;

  programs.steam = {
    enable = true;
    remotePlay.openFirewall = true;
  };
  hardware.xone.enable = true; # xbox controller dongle

  virtualisation.libvirtd.enable = true;
  users.users.rhea.extraGroups = [ "libvirtd" ];

  system.stateVersion = "24.05"; # installed with 24.05, don't touch
}
