{ ... }:
{
  networking.hostName = "tern";
  boot.loader.systemd-boot.enable = true;
  fileSystems."/" = {
    device = "/dev/disk/by-label/tern";
    fsType = "ext4";
  };
}
