{ ... }:
{
  networking.hostName = "skua";
  boot.loader.systemd-boot.enable = true;
  fileSystems."/" = {
    device = "/dev/disk/by-label/skua";
    fsType = "ext4";
  };
}
