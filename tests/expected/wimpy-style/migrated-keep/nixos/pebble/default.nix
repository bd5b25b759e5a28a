# pebble: the media/NAS box in the cupboard. No home-manager here on purpose,
# I only ever ssh in to fix things.
{ inputs, ... }:
{
  imports = [
    inputs.disko.nixosModules.disko
    ./boot.nix
    ./disks.nix
    ./hardware.nix
    ../_mixins/services/jellyfin.nix
    ../_mixins/services/smartd.nix
    ../_mixins/services/tailscale.nix
    # ../_mixins/services/syncthing.nix   # TODO: bring back once the 4TB disk is in
  ];

  services.tailscale.useRoutingFeatures = "both";

  # headless: no need for the full docs
  documentation.enable = false;
  services.openssh.settings.PermitRootLogin = "prohibit-password";

  services.nfs.server = {
    enable = true;
    exports = ''
      /srv/media  100.64.0.0/10(ro,no_subtree_check)
    '';
  };
  networking.firewall.allowedTCPPorts = [ 2049 ];
}
