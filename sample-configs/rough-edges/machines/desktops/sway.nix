{ pkgs, ... }:
{
  # the session itself is configured per user, in home/profiles/<user>/desktop.nix;
  # this is only what needs root: the session entry, polkit, swaylock's PAM file
  programs.sway = {
    enable = true;
    wrapperFeatures.gtk = true;
    extraPackages = with pkgs; [ swaylock swayidle wl-clipboard grim slurp mako ];
  };

  services.greetd = {
    enable = true;
    settings.default_session.command = "${pkgs.greetd.tuigreet}/bin/tuigreet --time --cmd sway";
  };

  xdg.portal = {
    enable = true;
    wlr.enable = true;
    extraPortals = [ pkgs.xdg-desktop-portal-gtk ];
  };
}
