{ pkgs, ... }:

let
  theme = import ../theme.nix;
in
{
  programs.foot = {
    enable = true;
    server.enable = true;
    settings = {
      main = {
        font = "Iosevka Comfy:size=11";
        pad = "6x6";
      };
      colors = {
        background = theme.bg;
        foreground = theme.fg;
        regular0 = theme.black;   bright0 = theme.brblack;
        regular1 = theme.red;     bright1 = theme.brred;
        regular2 = theme.green;   bright2 = theme.brgreen;
        regular3 = theme.yellow;  bright3 = theme.bryellow;
        regular4 = theme.blue;    bright4 = theme.brblue;
        regular5 = theme.magenta; bright5 = theme.brmagenta;
        regular6 = theme.cyan;    bright6 = theme.brcyan;
        regular7 = theme.white;   bright7 = theme.brwhite;
      };
    };
  };
}
