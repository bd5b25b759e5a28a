{ pkgs, ... }:
{
  imports = [ ./git.nix ];

  home.username = "ines";
  home.packages = with pkgs; [ darktable inkscape ];
}
