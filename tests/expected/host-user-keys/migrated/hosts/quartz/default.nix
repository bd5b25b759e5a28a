{ ... }:
{
  # the TV box: kodi only, nobody logs in
  networking.hostName = "quartz";
  fileSystems."/" = {
    device = "/dev/disk/by-label/quartz";
    fsType = "ext4";
  };
  boot.loader.grub.device = "/dev/sda";
  services.xserver.desktopManager.kodi.enable = true;
}
