# atlas: the desktop. Ryzen 9 7900, RX 7800 XT, two NVMe.
{ pkgs, ... }:
{
  imports = [
    ./hardware-configuration.nix
    ./ollama.nix
  ];

  networking.hostName = "atlas";

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  boot.kernelPackages = pkgs.linuxPackages_latest;

  hardware.graphics.enable32Bit = true;
  hardware.amdgpu.initrd.enable = true;

  services.fstrim.enable = true;

  system.stateVersion = "24.11";
}
