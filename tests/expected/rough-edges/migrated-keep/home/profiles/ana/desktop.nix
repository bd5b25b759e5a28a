# ana's desktop look, for whichever desktop the machine has. Reached from
# home/desktop/default.nix by username.
{ desktop, lib, ... }:
let
  wallpaper = ./wallpaper.png;
in
{
  wayland.windowManager.sway = lib.mkIf (desktop == "sway") {
    enable = true;
    config = {
      modifier = "Mod4";
      terminal = "kitty";
      menu = "fuzzel";
      output."*".bg = "${wallpaper} fill";
      # us for code, hr for everything with č/ć/š/ž; caps toggles
      input."type:keyboard" = {
        xkb_layout = "us,hr";
        xkb_options = "grp:caps_toggle";
      };
      gaps.inner = 6;
    };
  };

  programs.fuzzel.enable = desktop == "sway";

  dconf.settings = lib.mkIf (desktop == "gnome") {
    "org/gnome/desktop/background" = {
      picture-uri = "file://${wallpaper}";
      picture-uri-dark = "file://${wallpaper}";
    };
    "org/gnome/desktop/input-sources".sources = [
      (lib.hm.gvariant.mkTuple [ "xkb" "us" ])
      (lib.hm.gvariant.mkTuple [ "xkb" "hr" ])
    ];
    "org/gnome/mutter".dynamic-workspaces = true;
  };
}
