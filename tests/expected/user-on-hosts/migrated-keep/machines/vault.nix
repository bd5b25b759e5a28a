{ ... }:
{
  networking.hostName = "vault";
  boot.loader.grub.device = "/dev/sda";
  fileSystems."/" = {
    device = "/dev/disk/by-label/vault";
    fsType = "ext4";
  };

  users.users.backup = {
    isSystemUser = true;
    group = "backup";
  };
  users.groups.backup = { };
  services.openssh.enable = true;
  system.stateVersion = "24.11";
}
