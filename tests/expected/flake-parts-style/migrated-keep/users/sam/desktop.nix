{ pkgs, ... }:
{
  home.packages = with pkgs; [ firefox signal-desktop ];

  # the wallpaper travels with the config
  home.file.".local/share/wallpapers/tide.svg".source = ./wallpapers/tide.svg;

  programs.kitty = {
    enable = true;
    settings.font_size = 11;
  };
}
