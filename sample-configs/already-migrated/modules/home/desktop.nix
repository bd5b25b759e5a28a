{ pkgs, ... }:
{
  # niri has no home-manager module in 25.05, so: plain kdl file
  xdg.configFile."niri/config.kdl".source = ./niri.kdl;

  home.file.".local/share/wallpaper.png".source = ../../assets/wallpaper.png;

  programs.fuzzel.enable = true;
  programs.waybar.enable = true;
  services.mako.enable = true;
  services.swayidle.enable = true;

  home.packages = with pkgs; [ swaybg xwayland-satellite firefox-work wl-clipboard ];
}
