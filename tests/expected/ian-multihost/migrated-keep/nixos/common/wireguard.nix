# wg tunnel to the VPS in Frankfurt, only used when tailscale is being weird.
# The private key is NOT in this repo: generate it with `wg genkey` on each host.
{config, ...}: {
  networking.wg-quick.interfaces.wg-fra = {
    address = ["10.44.0.2/32"];
    privateKeyFile = "/var/lib/wireguard/wg-fra.key";
    autostart = false; # `systemctl start wg-quick-wg-fra` by hand
    peers = [
      {
        publicKey = "vJ3kq0x1Lr0b8Q0ZcYt3f0pYy5oT0x9hQ4mS2aWnEXs=";
        allowedIPs = ["10.44.0.0/24"];
        endpoint = "fra.example.net:51820";
        persistentKeepalive = 25;
      }
    ];
  };
}
