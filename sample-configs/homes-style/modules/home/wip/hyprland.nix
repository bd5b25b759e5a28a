# WIP: not loaded (flake.nix only scans modules/home/*.nix, not sub-dirs).
# Move up one level when it's usable.
{ lib, ... }:
{
  wayland.windowManager.hyprland = {
    enable = lib.mkDefault false;
    settings = {
      "$mod" = "SUPER";
      bind = [ "$mod, Return, exec, foot" "$mod, Q, killactive" ];
      # monitor = [ "eDP-1, preferred, auto, 1.5" ];
    };
  };
}
