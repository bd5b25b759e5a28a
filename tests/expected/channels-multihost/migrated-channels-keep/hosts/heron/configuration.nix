# heron: the home server in the cupboard (headless).
{ config, lib, pkgs, ... }:

let
  # Secrets are kept out of git; the server still builds without them.
  secrets = ./secrets.nix;
in
{
  imports = [
    ./hardware-configuration.nix
    ../../common/base.nix
    ./services/media.nix
    ./services/backup.nix
    <home-manager/nixos>
  ] ++ lib.optional (builtins.pathExists secrets) secrets;

  boot.loader.grub.enable = true;
  boot.loader.grub.device = "/dev/sda";

  networking = {
    hostName = "heron";
    firewall.allowedTCPPorts = [ 22 8096 ];
  };

  system.stateVersion = "23.11"; # installed with 23.11; never bump
  home-manager = {
    useGlobalPkgs = true;
    useUserPackages = true;
    backupFileExtension = "bak";
    users.mira = import ./home.nix;
  };
}
