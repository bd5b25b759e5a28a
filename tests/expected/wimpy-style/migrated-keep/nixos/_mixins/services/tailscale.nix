{ config, lib, ... }:
{
  services.tailscale = {
    enable = true;
    useRoutingFeatures = lib.mkDefault "client";
    authKeyFile = config.age.secrets.tailscale-authkey.path;
  };
  age.secrets.tailscale-authkey.file = ../../../secrets/tailscale-authkey.age;

  networking.firewall = {
    checkReversePath = "loose";
    trustedInterfaces = [ "tailscale0" ];
    allowedUDPPorts = [ config.services.tailscale.port ];
  };
}
