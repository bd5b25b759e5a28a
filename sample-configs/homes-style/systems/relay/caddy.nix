{ config, ... }:
{
  services.caddy = {
    enable = true;
    email = "rhea@lindqvist.example";
    virtualHosts = {
      "git.lindqvist.example".extraConfig = ''
        reverse_proxy atlas:3000
      '';
      "photos.lindqvist.example".extraConfig = ''
        reverse_proxy atlas:2283
      '';
    };
  };
  networking.firewall.allowedTCPPorts = [ 80 443 ];
  # caddy stores certs here; back it up with the rest of /var/lib
  systemd.services.caddy.serviceConfig.ReadWritePaths = [ config.services.caddy.dataDir ];
}
