{ desktop, lib, ... }:
{
  # two monitors on forge: 1440p main, old 1080p on the left, rotated
  wayland.windowManager.hyprland.settings = lib.mkIf (desktop == "hyprland") {
    monitor = [
      "DP-1, 2560x1440@165, 1080x0, 1"
      "HDMI-A-1, 1920x1080@60, 0x0, 1, transform, 1"
    ];
    workspace = [ "1, monitor:DP-1, default:true" "9, monitor:HDMI-A-1" ];
  };

  programs.git.extraConfig.core.fsmonitor = true;
  services.syncthing.enable = true;
}
