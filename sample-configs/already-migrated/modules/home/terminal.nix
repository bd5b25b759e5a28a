{ pkgs, ... }:
{
  programs.foot = {
    enable = true;
    settings = {
      main.font = "JetBrainsMono Nerd Font:size=11";
      main.pad = "8x8";
      colors.alpha = 0.95;
    };
  };
  programs.tmux = {
    enable = true;
    shortcut = "a";
    mouse = true;
    baseIndex = 1;
    escapeTime = 0;
  };
}
