# Minimal installer ISO with my keys and tools on it.
#   just iso
{ lib, pkgs, ... }:
{
  nixpkgs.hostPlatform = "x86_64-linux";

  isoImage.squashfsCompression = "zstd -Xcompression-level 6";
  boot.kernelPackages = pkgs.linuxPackages_latest;

  # the installer's own user; let me in over ssh straight away
  users.users.nixos.openssh.authorizedKeys.keyFiles = [ ../../keys/dana.pub ];
  services.openssh.settings.PermitRootLogin = lib.mkForce "no";

  environment.systemPackages = with pkgs; [
    disko
    rsync
    parted
  ];
}
