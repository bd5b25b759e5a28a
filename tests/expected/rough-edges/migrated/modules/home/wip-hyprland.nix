# Hyprland for lark, maybe. sway works fine; this is what I poke at on slow
# evenings. NOT imported anywhere yet -- add it to home/desktop when it's done.
{ lib, pkgs, ... }:
{
  wayland.windowManager.hyprland = {
    enable = true;
    settings = {
      "$mod" = "SUPER";
      monitor = [ "DP-1,2560x1440@144,0x0,1" ];
      input = {
        kb_layout = "us,hr";
        kb_options = "grp:caps_toggle";
      };
      bind = [
        "$mod, Return, exec, kitty"
        "$mod, D, exec, fuzzel"
        "$mod, Q, killactive"
        "$mod SHIFT, E, exit"
        "$mod, F, fullscreen
