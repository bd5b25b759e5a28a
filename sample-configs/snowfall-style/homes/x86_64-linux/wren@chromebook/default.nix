# wren on the Chromebook (Debian in Crostini): no NixOS here, so this one is
# run with `home-manager switch --flake .#wren@chromebook`.
{ lib, pkgs, crostini ? false, ... }:
{
  home.username = "wren";
  home.homeDirectory = "/home/wren";
  home.stateVersion = "24.11";

  targets.genericLinux.enable = true;

  imports = lib.optional crostini ./crostini.nix;
}
