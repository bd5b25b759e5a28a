{ config, lib, ... }:
{
  hardware.cpu.amd.updateMicrocode = lib.mkDefault config.hardware.enableRedistributableFirmware;
  hardware.enableRedistributableFirmware = true;
  nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
  # 5800X3D runs hot with the stock cooler curve
  services.thermald.enable = false;
  powerManagement.cpuFreqGovernor = lib.mkDefault "schedutil";
}
