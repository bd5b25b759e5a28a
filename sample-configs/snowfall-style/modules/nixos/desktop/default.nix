{ config, lib, pkgs, namespace, ... }:
let
  cfg = config.${namespace}.desktop;
in
{
  imports = [ ./fonts.nix ];

  options.${namespace}.desktop = {
    enable = lib.mkEnableOption "the Plasma desktop";
  };

  config = lib.mkIf cfg.enable {
    services.desktopManager.plasma6.enable = true;
    services.displayManager.sddm = {
      enable = true;
      wayland.enable = true;
    };
    services.pipewire = { enable = true; pulse.enable = true; };
  };
}
