# wren on the Pi: a shell, nothing graphical.
{ lib, ... }:
{
  home.stateVersion = "24.05";
  programs.helix.enable = lib.mkForce false;   # vi is enough here
  programs.htop.enable = true;
}
