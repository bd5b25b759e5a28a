{ config, pkgs, ... }:

{
  # Home Manager needs a bit of information about you and the paths it should
  # manage.
  home.username = "sam";
  home.homeDirectory = "/home/sam";

  home.stateVersion = "24.11"; # Please read the comment before changing.

  imports = [
    ./programs/git.nix
    ./programs/kitty.nix
  ];

  home.packages = with pkgs; [
    ripgrep
    fd
    # hyprpaper picks the wallpaper below
    hyprpaper
  ];

  xdg.configFile."hypr/hyprpaper.conf".text = ''
    preload = ${../wallpapers/kestrel.png}
    wallpaper = ,${../wallpapers/kestrel.png}
  '';

  # Let Home Manager install and manage itself.
  programs.home-manager.enable = true;
}
