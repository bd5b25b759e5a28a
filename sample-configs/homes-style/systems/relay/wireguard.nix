# Old wg setup from before tailscale. Not imported anymore, keys rotated.
{ ... }:
{
  networking.wireguard.interfaces.wg0 = {
    ips = [ "10.77.0.1/24" ];
    listenPort = 51820;
    privateKeyFile = "/var/lib/wireguard/private";
    peers = [
      { publicKey = "Q2xvc2VkQnV0Tm90Rm9yZ290dGVuS2V5UGxhY2Vob2xkZXI="; allowedIPs = [ "10.77.0.2/32" ]; } # nimbus
      # { publicKey = "..."; allowedIPs = [ "10.77.0.3/32" ]; } # phone
    ];
  };
  networking.firewall.allowedUDPPorts = [ 51820 ];
}
