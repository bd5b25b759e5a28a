{ pkgs, ... }:
{
  imports = [ ./common ];

  home.username = "pia";
  home.homeDirectory = "/home/pia";

  home.packages = with pkgs; [
    prismlauncher
    superTuxKart
    krita
  ];

  home.stateVersion = "24.11";
}
