# relay -- Raspberry Pi 4 on the router shelf. Caddy in front of the few
# things I self-host. Nobody logs in here interactively, so no home-manager
# user (there is no homes/*@relay).
{ inputs, ... }:
{
  imports = [
    inputs.nixos-hardware.nixosModules.raspberry-pi-4
    ./hardware-configuration.nix
    ./caddy.nix
    # ./wireguard.nix   # replaced by tailscale, see below
  ];

  boot.loader.grub.enable = false;
  boot.loader.generic-extlinux-compatible.enable = true;

  services.tailscale.enable = true;
  services.openssh.settings.PermitRootLogin = "prohibit-password";

  documentation.nixos.enable = false;
  zramSwap.enable = true;

  system.stateVersion = "24.11";
}
