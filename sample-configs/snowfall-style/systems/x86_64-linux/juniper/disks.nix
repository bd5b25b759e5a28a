{
  fileSystems."/" = { device = "/dev/disk/by-label/nixos"; fsType = "btrfs"; options = [ "subvol=@" "compress=zstd" ]; };
  fileSystems."/home" = { device = "/dev/disk/by-label/nixos"; fsType = "btrfs"; options = [ "subvol=@home" "compress=zstd" ]; };
  fileSystems."/boot" = { device = "/dev/disk/by-label/BOOT"; fsType = "vfat"; };

  swapDevices = [ ];
}
