{ pkgs, ... }:
{
  imports = [
    ./hardware-configuration.nix
    ../../modules/system/base.nix
    ../../modules/system/users.nix
    ../../modules/system/desktop.nix
  ];

  networking.hostName = "heron";
  # the big screen wants the proprietary driver
  services.xserver.videoDrivers = [ "nvidia" ];
  hardware.nvidia.open = false;

  system.stateVersion = "24.05";
}
