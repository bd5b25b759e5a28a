{ config, lib, pkgs, ... }:

let
  mod = "Mod4";
in
{
  wayland.windowManager.sway = {
    enable = true;
    package = null; # use the system one from services/sway.nix
    config = {
      modifier = mod;
      terminal = "foot";
      menu = "wofi --show drun";
      input."type:keyboard" = { xkb_layout = "us"; xkb_options = "ctrl:nocaps"; };
      input."type:touchpad" = { tap = "enabled"; natural_scroll = "enabled"; };
      output."*".bg = "${config.home.homeDirectory}/.local/share/backgrounds/lark.png fill";
      keybindings = lib.mkOptionDefault {
        "${mod}+Shift+s" = "exec grim -g \"$(slurp)\" - | wl-copy";
        "${mod}+l" = "exec swaylock -f -c 282828";
      };
      bars = [ { command = "${pkgs.waybar}/bin/waybar"; } ];
    };
  };

  programs.waybar.enable = true;
  services.mako = {
    enable = true;
    defaultTimeout = 5000;
  };
}
