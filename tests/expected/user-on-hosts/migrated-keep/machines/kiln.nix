{ ... }:
{
  networking.hostName = "kiln";
  boot.loader.systemd-boot.enable = true;
  hardware.nvidia.open = true;
  services.xserver.videoDrivers = [ "nvidia" ];
  fileSystems."/" = {
    device = "/dev/disk/by-label/kiln";
    fsType = "ext4";
  };
}
