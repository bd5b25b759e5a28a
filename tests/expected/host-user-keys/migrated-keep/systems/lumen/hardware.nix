{ lib, ... }:
{
  fileSystems."/" = {
    device = "/dev/disk/by-label/lumen";
    fsType = "ext4";
  };
  boot.loader.systemd-boot.enable = true;
  nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
}
