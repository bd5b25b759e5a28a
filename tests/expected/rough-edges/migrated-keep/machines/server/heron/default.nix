# heron: Raspberry Pi 4 (4 GB) in the hallway cupboard, USB SSD as root.
# DNS for the flat, Syncthing hub, and the place restic backups land.
{ inputs, lib, pkgs, ... }:
{
  imports = [
    ./hardware-configuration.nix
    ./backups.nix
    inputs.nixos-hardware.nixosModules.raspberry-pi-4
  ];

  # nobody but root logs in here (no username in flake.nix), keys only
  services.openssh.settings.PermitRootLogin = "prohibit-password";
  users.users.root.openssh.authorizedKeys.keys = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq6Wb0Z3pZ8lJ3sCk1mJ0ZyS0k2g2mQm8n6x1u7sYtB ana@lark"
  ];

  # a reminder for future me, shown on every ssh login
  users.motd = builtins.readFile ./motd.txt;

  services.blocky = {
    enable = true;
    settings = {
      ports.dns = 53;
      upstreams.groups.default = [ "https://dns.quad9.net/dns-query" ];
      blocking = {
        denylists.ads = [ "https://raw.githubusercontent.com/StevenBlack/hosts/master/hosts" ];
        clientGroupsBlock.default = [ "ads" ];
      };
    };
  };

  services.syncthing = {
    enable = true;
    openDefaultPorts = true;
    guiAddress = "0.0.0.0:8384";
  };

  # the module from modules/nixos: upgrade at night unless someone is on
  services.polite-upgrade.enable = true;

  networking.firewall.allowedTCPPorts = [ 53 8384 ];
  networking.firewall.allowedUDPPorts = [ 53 ];

  environment.systemPackages = with pkgs; [ htop iotop tmux ];
  documentation.nixos.enable = lib.mkDefault false; # 20 min of building on a Pi
}
