# orca: the desktop under the desk.
{ pkgs, hostName, ... }:
{
  imports = [
    ./hardware-configuration.nix
    ./gpu.nix
  ];

  networking.hostName = hostName;

  programs.steam.enable = true;   # unfree, see nixos/common.nix
  environment.systemPackages = [ pkgs.obs-studio ];

  system.stateVersion = "24.05";
}
