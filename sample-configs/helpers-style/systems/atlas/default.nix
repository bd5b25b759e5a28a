{ ... }:
{
  imports = [
    ./hardware-configuration.nix
    ../../common/desktop.nix # atlas is the only one with a screen that matters
  ];

  boot.loader.systemd-boot.enable = true;
  system.stateVersion = "24.11";
}
