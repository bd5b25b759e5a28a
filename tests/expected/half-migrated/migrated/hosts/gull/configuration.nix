{ ... }:
{
  imports = [
    ../../modules/nixos/base.nix
    ../../modules/nixos/users.nix
  ];

  networking.hostName = "gull";
  boot.loader.grub.device = "/dev/vda";
  fileSystems."/" = {
    device = "/dev/vda1";
    fsType = "ext4";
  };

  services.openssh.enable = true;
  services.syncthing.enable = true;

  system.stateVersion = "24.05";
}
