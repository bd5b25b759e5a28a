{ ... }:
{
  fileSystems."/" =    { device = "/dev/mapper/cryptroot"; fsType = "ext4"; };
  fileSystems."/boot" = { device = "/dev/disk/by-uuid/4A1B-2C3D"; fsType = "vfat"; options = [ "umask=0077" ]; };
  swapDevices = [ { device = "/swapfile"; size = 16 * 1024; } ];
}
