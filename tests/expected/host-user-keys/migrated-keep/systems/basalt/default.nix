{ ... }:
{
  networking.hostName = "basalt";
  fileSystems."/" = {
    device = "/dev/disk/by-label/basalt";
    fsType = "btrfs";
  };
  boot.loader.systemd-boot.enable = true;
  services.tlp.enable = true;
}
