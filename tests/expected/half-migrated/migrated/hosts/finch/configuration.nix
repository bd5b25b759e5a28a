{ ... }:
{
  imports = [
    ./hardware-configuration.nix
    ../../modules/nixos/base.nix
    ../../modules/nixos/users.nix
    ../../modules/nixos/desktop.nix
  ];

  networking.hostName = "finch";
  services.power-profiles-daemon.enable = true;
  services.fprintd.enable = true;

  system.stateVersion = "24.11";
}
