# Home Manager for mira on falcon:
#   home-manager switch -f hosts/falcon/home.nix
{ config, pkgs, lib, ... }:

let
  # Newer editors than the stable channel has.
  unstable = import <nixos-unstable> { config.allowUnfree = true; };
in
{
  imports = [
    ../../home/shell
    ../../home/git.nix
    ../../home/tmux.nix
    ./gnome.nix
  ];

  home.username = "mira";
  home.homeDirectory = "/home/mira";

  home.packages = [
    unstable.zed-editor
    pkgs.firefox
    pkgs.keepassxc
  ];

  home.file.".face".source = ./avatar.png;

  # Let Home Manager install and manage itself.
  programs.home-manager.enable = true;

  home.stateVersion = "24.05";
}
