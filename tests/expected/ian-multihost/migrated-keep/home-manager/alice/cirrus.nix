{pkgs, ...}: {
  home.file.".local/share/wallpapers/current.png".source = ../../assets/wallpapers/cirrus.png;

  # pkgs/wake-nimbus via overlays.additions
  home.packages = [pkgs.wake-nimbus];

  services.syncthing.tray.enable = false; # plasma's tray icon is enough
}
