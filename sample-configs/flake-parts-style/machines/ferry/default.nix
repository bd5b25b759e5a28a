{ hostName, ... }:
{
  imports = [
    ./hardware-configuration.nix
    ./backup.nix
  ];

  networking.hostName = hostName;
  services.openssh.enable = true;

  users.users.admin = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keyFiles = [ ../../users/admin/id_ed25519.pub ];
  };

  system.stateVersion = "24.11";
}
