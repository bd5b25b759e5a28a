{ pkgs, ... }:
{
  imports = [ ./common.nix ];

  # Fedora: Home Manager's own nix, no NixOS underneath
  targets.genericLinux.enable = true;
  programs.home-manager.enable = true;
  home.packages = with pkgs; [ awscli2 kubectl ];
}
