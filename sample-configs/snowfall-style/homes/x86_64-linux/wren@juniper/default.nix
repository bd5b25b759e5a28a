# wren on juniper: the full desktop setup.
{ config, lib, pkgs, namespace, ... }:
{
  imports = [ ./firefox.nix ];

  home.stateVersion = "24.11";

  home.packages = with pkgs; [ krita obs-studio signal-desktop ];

  home.file.".face.icon".source = ./face.png;

  programs.git.userEmail = "wren@cozy.example";
}
