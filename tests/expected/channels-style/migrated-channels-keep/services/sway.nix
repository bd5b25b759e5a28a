{ config, pkgs, ... }:

# sway itself (the session, polkit, portals). Keybindings etc: home/sway.nix
{
  programs.sway = {
    enable = true;
    wrapperFeatures.gtk = true;
    extraPackages = with pkgs; [ swaylock swayidle wl-clipboard grim slurp mako wofi ];
  };

  services.greetd = {
    enable = true;
    settings = {
      default_session = {
        command = "${pkgs.greetd.tuigreet}/bin/tuigreet --time --cmd sway";
        user = "greeter";
      };
    };
  };

  security.pam.services.swaylock = {};
  xdg.portal.wlr.enable = true;
  hardware.opengl.enable = true;   # 24.05 name, becomes hardware.graphics in 24.11

  fonts.packages = with pkgs; [ fira-sans iosevka-comfy.comfy noto-fonts-emoji ];
}
