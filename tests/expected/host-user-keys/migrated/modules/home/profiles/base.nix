{ config, pkgs, ... }:
{
  home.homeDirectory = "/home/${config.home.username}";
  home.stateVersion = "24.11";

  programs.bash.enable = true;
  home.packages = [ pkgs.htop ];
}
