{ ... }:
{
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "btrfs";
    options = [ "subvol=@" "compress=zstd" "noatime" ];
  };
  fileSystems."/home" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "btrfs";
    options = [ "subvol=@home" "compress=zstd" "noatime" ];
  };
  fileSystems."/boot" = {
    device = "/dev/disk/by-label/ESP";
    fsType = "vfat";
    options = [ "fmask=0077" "dmask=0077" ];
  };
  # second NVMe, games + VMs
  fileSystems."/mnt/scratch" = {
    device = "/dev/disk/by-label/scratch";
    fsType = "ext4";
    options = [ "nofail" ];
  };
  swapDevices = [ ];
  zramSwap.enable = true;
}
