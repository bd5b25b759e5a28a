{ ... }:
{
  imports = [ ./hardware-configuration.nix ];

  boot.loader.systemd-boot.enable = true;
  services.openssh.enable = true;  # headless
  users.users.ops = { isNormalUser = true; extraGroups = [ "wheel" ]; };
  system.stateVersion = "24.11";
}
