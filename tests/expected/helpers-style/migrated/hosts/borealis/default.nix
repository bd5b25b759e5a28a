{ ... }:
{
  imports = [ ./hardware-configuration.nix ../../modules/nixos/common/desktop.nix ];

  boot.loader.systemd-boot.enable = true;
  # lid closed on the dock: keep running
  services.logind.lidSwitchDocked = "ignore";
  system.stateVersion = "24.11";
}
