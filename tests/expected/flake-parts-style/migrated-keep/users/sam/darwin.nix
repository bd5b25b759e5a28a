# Only on the work Mac.
{ pkgs, lib, ... }:
{
  home.homeDirectory = lib.mkForce "/Users/sam";
  home.packages = [ pkgs.colima ];
  targets.darwin.defaults."com.apple.dock".autohide = true;
}
