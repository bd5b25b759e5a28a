# owl: the living-room box; kodi only, nobody logs in with a shell.
{ config, pkgs, ... }:
{
  imports = [
    ./hardware-configuration.nix
    ../../common/base.nix
    ../../common/desktop.nix
  ];

  boot.loader.systemd-boot.enable = true;

  services.xserver.desktopManager.kodi.enable = true;
  services.displayManager.autoLogin = { enable = true; user = "kodi"; };
  users.users.kodi.isNormalUser = true;

  system.stateVersion = "24.05";
}
