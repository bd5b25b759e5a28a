{ pkgs, ... }:
{
  home.username = "admin";
  home.homeDirectory = "/home/admin";

  programs.bash.enable = true;
  home.packages = [ pkgs.restic pkgs.tmux ];

  home.stateVersion = "24.11";
}
