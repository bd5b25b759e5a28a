# Base config for rhea: loaded on every machine, NixOS or not.
{ config, pkgs, ... }:
{
  imports = [
    ./packages.nix
    ./ssh.nix
  ];

  programs.git = {
    userName  = "Rhea Lindqvist";
    userEmail = "rhea@lindqvist.example";
    signing = { key = "0x5E1F7A3C9B2D4E60"; signByDefault = true; };
  };

  programs.gpg.enable = true;
  services.gpg-agent = {
    enable = true;
    enableSshSupport = false;
    pinentryPackage = pkgs.pinentry-curses;
  };

  xdg.enable = true;
  home.sessionVariables.NOTES_DIR = "${config.home.homeDirectory}/notes";

  home.stateVersion = "24.05";
}
