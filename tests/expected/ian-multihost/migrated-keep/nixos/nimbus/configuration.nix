# nimbus: Ryzen 7 5800X3D / RX 6800, the desktop in the study
{
  inputs,
  outputs,
  lib,
  config,
  pkgs,
  ...
}: {
  imports = [
    # hardware quirks from nixos-hardware
    inputs.hardware.nixosModules.common-cpu-amd
    inputs.hardware.nixosModules.common-gpu-amd
    inputs.hardware.nixosModules.common-pc-ssd

    ../common
    ../common/gaming.nix

    ./hardware-configuration.nix
    ./gpu.nix
    ./jellyfin.nix
  ];

  networking.hostName = "nimbus";

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  boot.kernelPackages = pkgs.linuxPackages_6_12;
  boot.binfmt.emulatedSystems = ["aarch64-linux"]; # building the pi image

  # wake-on-lan from cirrus (pkgs/wake-nimbus)
  networking.interfaces.enp6s0.wakeOnLan.enable = true;

  environment.systemPackages = with pkgs; [btop lm_sensors];

  # https://nixos.wiki/wiki/FAQ/When_do_I_update_stateVersion
  system.stateVersion = "23.11";
}
