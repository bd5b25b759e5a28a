{ pkgs, username, ... }:
{
  programs.hyprland = {
    enable = true;
    xwayland.enable = true;
  };

  # tuigreet instead of a display manager: one less thing to break
  services.greetd = {
    enable = true;
    settings.default_session = {
      command = "${pkgs.greetd.tuigreet}/bin/tuigreet --time --remember --cmd Hyprland";
      user = "greeter";
    };
  };

  security.pam.services.hyprlock = { };
  xdg.portal.extraPortals = [ pkgs.xdg-desktop-portal-gtk ];

  environment.sessionVariables.NIXOS_OZONE_WL = "1";
  # so the keyring unlocks on login through greetd
  security.pam.services.greetd.enableGnomeKeyring = true;
  services.gnome.gnome-keyring.enable = true;
}
