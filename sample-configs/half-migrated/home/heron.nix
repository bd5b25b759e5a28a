{ pkgs, ... }:
{
  imports = [
    ./common.nix
    ./desktop.nix
  ];

  home.packages = with pkgs; [ blender krita ];
}
