{ lib, pkgs, ... }:
{
  services.xserver = {
    enable = true;
    displayManager.gdm.enable = true;
    desktopManager.gnome.enable = true;
    xkb.layout = "gb";
  };

  environment.gnome.excludePackages = with pkgs; [
    gnome-tour
    gnome.epiphany
    gnome.geary
    gnome.totem
  ];

  # Fractional scaling on the T14's 1080p panel
  programs.dconf.enable = true;
  services.udev.packages = [ pkgs.gnome.gnome-settings-daemon ];

  # conflicts with TLP if anybody ever enables it
  services.power-profiles-daemon.enable = lib.mkDefault true;
}
