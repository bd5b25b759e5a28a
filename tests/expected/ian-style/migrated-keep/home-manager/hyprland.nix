{ pkgs, lib, ... }:

let
  wallpaper = ../assets/wallpaper.png;
in
{
  wayland.windowManager.hyprland = {
    enable = true;
    settings = {
      "$mod" = "SUPER";
      "$terminal" = "ghostty";

      monitor = [
        "eDP-1, 2256x1504@60, 0x0, 1.333333"
        ", preferred, auto, 1"   # whatever I plug in
      ];

      exec-once = [ "waybar" "nm-applet --indicator" ];

      input = {
        kb_layout = "us,cz";
        kb_variant = ",qwerty";
        kb_options = "grp:alt_shift_toggle,caps:escape";
        touchpad.natural_scroll = true;
      };

      general = { gaps_in = 4; gaps_out = 8; border_size = 2; layout = "dwindle"; };
      decoration.rounding = 6;

      bind = [
        "$mod, Return, exec, $terminal"
        "$mod, D, exec, fuzzel"
        "$mod, Q, killactive"
        "$mod, F, fullscreen"
        "$mod, L, exec, hyprlock"
        ", Print, exec, ${./scripts/screenshot.sh}"
      ] ++ (
        # workspaces 1..9
        builtins.concatLists (builtins.genList (i:
          let ws = toString (i + 1); in [
            "$mod, ${ws}, workspace, ${ws}"
            "$mod SHIFT, ${ws}, movetoworkspace, ${ws}"
          ]) 9)
      );

      bindl = [
        ", XF86AudioMute, exec, wpctl set-mute @DEFAULT_AUDIO_SINK@ toggle"
      ];
      bindel = [
        ", XF86AudioRaiseVolume, exec, wpctl set-volume -l 1.2 @DEFAULT_AUDIO_SINK@ 5%+"
        ", XF86AudioLowerVolume, exec, wpctl set-volume @DEFAULT_AUDIO_SINK@ 5%-"
        ", XF86MonBrightnessUp, exec, brightnessctl s 5%+"
        ", XF86MonBrightnessDown, exec, brightnessctl s 5%-"
      ];
    };
  };

  services.hyprpaper = {
    enable = true;
    settings = {
      preload = [ "${wallpaper}" ];
      wallpaper = [ ",${wallpaper}" ];
    };
  };

  programs.waybar.enable = true;
  programs.fuzzel.enable = true;
  services.mako.enable = true;

  home.packages = with pkgs; [ brightnessctl grim slurp networkmanagerapplet ];
}
