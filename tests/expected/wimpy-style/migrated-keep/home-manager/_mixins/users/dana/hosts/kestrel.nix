{ pkgs, ... }:
{
  # laptop: battery notifications + the work VPN client
  services.poweralertd.enable = true;
  home.packages = [ pkgs.openconnect ];

  dconf.settings."org/gnome/desktop/interface".text-scaling-factor = 1.25;
}
