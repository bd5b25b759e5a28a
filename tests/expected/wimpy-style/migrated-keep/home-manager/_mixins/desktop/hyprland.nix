{ config, pkgs, ... }:
let
  wallpaper = ../../assets/wall.png;
in
{
  wayland.windowManager.hyprland = {
    enable = true;
    systemd.enable = true;
    settings = {
      "$mod" = "SUPER";
      exec-once = [ "waybar" "hyprpaper" ];
      general = {
        gaps_in = 4;
        gaps_out = 8;
        border_size = 2;
        "col.active_border" = "rgb(c4a7e7)";
      };
      input.kb_layout = "gb";
      bind = [
        "$mod, Return, exec, kitty"
        "$mod, D, exec, fuzzel"
        "$mod, Q, killactive"
        "$mod SHIFT, E, exit"
        "$mod, L, exec, hyprlock"
        ", Print, exec, ${pkgs.bash}/bin/bash ${./scripts/screenshot.sh}"
        "SHIFT, Print, exec, ${pkgs.bash}/bin/bash ${./scripts/screenshot.sh} region"
      ]
      ++ (builtins.concatLists (builtins.genList (i:
        let ws = toString (i + 1); in [
          "$mod, ${ws}, workspace, ${ws}"
          "$mod SHIFT, ${ws}, movetoworkspace, ${ws}"
        ]) 9));
    };
  };

  # hyprpaper reads its own config file
  xdg.configFile."hypr/hyprpaper.conf".text = ''
    preload = ${wallpaper}
    wallpaper = ,${wallpaper}
    splash = false
  '';
  xdg.configFile."waybar/style.css".source = ./waybar.css;

  programs.waybar.enable = true;
  programs.fuzzel.enable = true;
  programs.hyprlock = {
    enable = true;
    settings.background = [ { path = "${wallpaper}"; blur_passes = 2; } ];
  };

  services.mako = {
    enable = true;
    defaultTimeout = 5000;
  };

  home.packages = with pkgs; [
    hyprpaper
    grim
    slurp
    wl-clipboard
    libnotify
  ];
  home.pointerCursor = {
    gtk.enable = true;
    name = "Bibata-Modern-Classic";
    package = pkgs.bibata-cursors;
    size = 24;
  };
  home.sessionVariables.SCREENSHOT_DIR = "${config.xdg.userDirs.pictures}/Screenshots";
}
