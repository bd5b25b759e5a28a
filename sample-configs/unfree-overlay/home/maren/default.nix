{ lib, pkgs, ... }:
{
  imports = [
    ../common
    ./git.nix
    ./emacs.nix
  ];

  home.username = "maren";
  home.homeDirectory = "/home/maren";

  home.packages = with pkgs; [
    ncmpcpp
    jq
  ];

  home.stateVersion = "24.05";
}
