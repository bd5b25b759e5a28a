{ config, pkgs, ... }:

{
  services.openssh.enable = true;
  services.openssh.settings.PasswordAuthentication = false;
  services.openssh.settings.PermitRootLogin = "no";

  users.users.priya.openssh.authorizedKeys.keys = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK8pQm4v2Zr1wT7nS0cY3eH6jL9bX5uD2fA4gR8kN1oP priya@workstation"
  ];
}
