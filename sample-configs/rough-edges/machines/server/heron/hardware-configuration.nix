# Not generated: nixos-generate-config on the Pi produced nothing useful for the
# USB boot, this is written by hand from the nixos-hardware example.
{ lib, ... }:
{
  boot.loader.grub.enable = false;
  boot.loader.generic-extlinux-compatible.enable = true;

  fileSystems."/" = {
    device = "/dev/disk/by-label/NIXOS_SD";
    fsType = "ext4";
    options = [ "noatime" ];
  };

  fileSystems."/srv" = {
    device = "/dev/disk/by-label/heron-data";
    fsType = "ext4";
    options = [ "noatime" "nofail" ];
  };

  swapDevices = [ { device = "/var/swapfile"; size = 2048; } ];

  nixpkgs.hostPlatform = lib.mkDefault "aarch64-linux";
}
