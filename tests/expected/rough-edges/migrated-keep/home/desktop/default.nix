{ pkgs, username, ... }:
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
    zathura
    imv
  ];

  # both sway and GNOME read this; without it GTK apps pick Adwaita light
  gtk = {
    enable = true;
    theme = { name = "Adwaita-dark"; package = pkgs.gnome-themes-extra; };
  };

  # otherwise GNOME opens PDFs in Firefox and sway has no idea at all
  xdg.mimeApps = {
    enable = true;
    defaultApplications = {
      "application/pdf" = "org.pwmt.zathura.desktop";
      "image/png" = "imv.desktop";
      "image/jpeg" = "imv.desktop";
    };
  };
}
