{ config, lib, pkgs, ... }:
let
  cfg = config.rhea.desktop;
in
{
  options.rhea.desktop.enable = lib.mkEnableOption "the KDE desktop and everything around it";

  config = lib.mkIf cfg.enable {
    services.xserver.enable = true;
    services.displayManager.sddm = {
      enable = true;
      wayland.enable = true;
    };
    services.desktopManager.plasma6.enable = true;

    services.pipewire = {
      enable = true;
      pulse.enable = true;
      alsa.enable = true;
    };
    security.rtkit.enable = true;
    networking.networkmanager.enable = true;
    hardware.bluetooth.enable = true;

    fonts.packages = with pkgs; [ iosevka-bin inter noto-fonts-color-emoji ];

    environment.plasma6.excludePackages = with pkgs.kdePackages; [ elisa khelpcenter ];
  };
}
