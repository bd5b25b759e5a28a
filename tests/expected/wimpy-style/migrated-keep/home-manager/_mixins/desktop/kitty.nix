{ ... }:
let
  palette = import ../../../themes/rose.nix;
in
{
  programs.kitty = {
    enable = true;
    font = {
      name = "JetBrainsMono Nerd Font";
      size = 11;
    };
    settings = {
      background = "#${palette.base}";
      foreground = "#${palette.text}";
      cursor = "#${palette.rose}";
    };
    extraConfig = builtins.readFile ./kitty.conf;
  };
}
