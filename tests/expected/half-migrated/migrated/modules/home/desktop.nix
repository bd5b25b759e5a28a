{ pkgs, ... }:
{
  programs.firefox.enable = true;
  programs.kitty = {
    enable = true;
    settings.font_size = 11;
  };
  home.packages = with pkgs; [ obsidian signal-desktop ];
}
