# local reverse proxy for the django project, don't need it since moving to docker compose
{ config, pkgs, ... }:
{
  services.nginx = {
    enable = true;
    recommendedProxySettings = true;
    virtualHosts."shop.localhost" = {
      locations."/".proxyPass = "http://127.0.0.1:8000";
      locations."/static/".root = "/home/priya/src/shop";
    };
  };
}
