{ pkgs, ... }:
{
  imports = [
    ../common
    ./matrix.nix
  ];

  home.username = "jonas";
  home.homeDirectory = "/home/jonas";

  home.packages = with pkgs; [
    discord # unfree
    wl-ocr # maren's, from overlays/
    gimp
  ];

  programs.git = {
    enable = true;
    userName = "Jonas Brandt";
    userEmail = "jonas.brandt@posteo.de";
  };

  home.stateVersion = "24.11";
}
