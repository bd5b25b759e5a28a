{ ... }:
{
  imports = [
    ./hardware-configuration.nix
    ../../modules/system/base.nix
    ../../modules/system/users.nix
    ../../modules/system/desktop.nix
  ];

  networking.hostName = "finch";
  services.power-profiles-daemon.enable = true;
  services.fprintd.enable = true;

  system.stateVersion = "24.11";
}
