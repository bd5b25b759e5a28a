{ config, lib, pkgs, ... }:
let
  cfg = config.rhea.desktop;
in
{
  options.rhea.desktop.enable = lib.mkEnableOption "desktop apps and terminal config";

  config = lib.mkIf cfg.enable {
    programs.foot = {
      enable = true;
      settings = let theme = import ../shared/theme.nix; in {
        main.font = "${theme.font.mono}:size=${toString theme.font.size}";
        colors = {
          background = theme.bg;
          foreground = theme.fg;
        };
      };
    };

    programs.firefox.enable = true;
    programs.mpv.enable = true;

    home.packages = with pkgs; [
      keepassxc
      thunderbird
      libreoffice-qt6-fresh
    ];
  };
}
