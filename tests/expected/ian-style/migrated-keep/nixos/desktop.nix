{ pkgs, ... }:

{
  # hyprland itself is configured in home-manager/hyprland.nix,
  # this only makes the session + portals exist
  programs.hyprland.enable = true;
  programs.hyprlock.enable = true;

  services.greetd = {
    enable = true;
    settings.default_session = {
      command = "${pkgs.greetd.tuigreet}/bin/tuigreet --time --remember --cmd Hyprland";
      user = "greeter";
    };
  };

  xdg.portal.extraPortals = [ pkgs.xdg-desktop-portal-gtk ];

  security.polkit.enable = true;
  services.gnome.gnome-keyring.enable = true;
  security.pam.services.greetd.enableGnomeKeyring = true;

  services.udisks2.enable = true;
  services.gvfs.enable = true;     # trash + mtp in nautilus
}
