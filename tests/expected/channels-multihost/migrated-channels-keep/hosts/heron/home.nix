# Home Manager for mira on heron (no desktop):
#   home-manager switch -f hosts/heron/home.nix
{ pkgs, ... }:
{
  imports = [
    ../../home/shell
    ../../home/git.nix
    ../../home/tmux.nix
  ];

  home.username = "mira";
  home.homeDirectory = "/home/mira";
  home.packages = with pkgs; [ ncdu iotop ];

  programs.home-manager.enable = true;
  home.stateVersion = "23.11";
}
