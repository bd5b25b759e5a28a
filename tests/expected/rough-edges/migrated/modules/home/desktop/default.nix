{ desktop, pkgs, username, ... }:
{
  imports = [
    ./kitty.nix
    # Per-user look (wallpaper, the sway config I fiddle with most). Written
    # this way before Nix had ./foo/${x} paths; it works, so it stays.
    (./. + "/../profiles/${username}/desktop.nix")
  ];

  home.packages = with pkgs; [
    firefox
    signal-desktop
    keepassxc
    mpv
  ];

  # both sway and GNOME read this; without it GTK apps pick Adwaita light
  gtk = {
    enable = true;
    theme = { name = "Adwaita-dark"; package = pkgs.gnome-themes-extra; };
  };

  # "gnome" or "sway"; some apps want to know
  home.sessionVariables.XDG_CURRENT_DESKTOP_HINT = desktop;
}
