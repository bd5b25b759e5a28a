{ pkgs, ... }:
{
  boot.loader.systemd-boot.enable = true;
  boot.loader.systemd-boot.configurationLimit = 10;  # /boot is only 512M
  boot.loader.efi.canTouchEfiVariables = true;

  # 6.6 LTS had the amdgpu suspend bug on this board, latest is fine
  boot.kernelPackages = pkgs.linuxPackages_latest;

  boot.kernelParams = [ "quiet" "splash" ];
  boot.plymouth.enable = true;
  boot.initrd.systemd.enable = true;   # nicer LUKS prompt with plymouth

  zramSwap.enable = true;
}
