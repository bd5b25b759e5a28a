# lark: the desk. Ryzen 5 7600, RX 7600, one 2 TB NVMe. Also builds heron's
# closures (see `just heron`).
{ inputs, pkgs, ... }:
{
  imports = [
    ./hardware-configuration.nix
    inputs.nixos-hardware.nixosModules.common-cpu-amd
    inputs.nixos-hardware.nixosModules.common-gpu-amd
  ];

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  boot.kernelPackages = pkgs.linuxPackages_latest;

  # so lark can build aarch64 for heron without a cross toolchain
  boot.binfmt.emulatedSystems = [ "aarch64-linux" ];

  programs.steam.enable = true;
  hardware.graphics.enable32Bit = true;

  environment.systemPackages = with pkgs; [ lact ];
}
