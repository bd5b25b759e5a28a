{ lib, pkgs, ... }:
with lib.hm.gvariant;
{
  dconf.settings = {
    "org/gnome/desktop/interface" = {
      color-scheme = "prefer-dark";
      clock-show-weekday = true;
      enable-hot-corners = false;
    };
    "org/gnome/desktop/wm/preferences".button-layout = "appmenu:minimize,close";
    "org/gnome/mutter" = {
      experimental-features = [ "scale-monitor-framebuffer" ];
      dynamic-workspaces = true;
    };
    "org/gnome/desktop/background" = {
      picture-uri = "file://${../../assets/wall.png}";
      picture-uri-dark = "file://${../../assets/wall.png}";
    };
    "org/gnome/shell".enabled-extensions = [
      "appindicatorsupport@rgcjonas.gmail.com"
      "caffeine@patapon.info"
    ];
    "org/gnome/desktop/peripherals/touchpad".tap-to-click = true;
    "org/gnome/settings-daemon/plugins/power".sleep-inactive-ac-timeout = mkUint32 3600;
  };

  home.packages = with pkgs.gnomeExtensions; [
    appindicator
    caffeine
  ];
}
