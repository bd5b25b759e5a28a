{lib, ...}: {
  services.openssh = {
    enable = true;
    settings = {
      PermitRootLogin = "no";
      PasswordAuthentication = false;
      KbdInteractiveAuthentication = false;
    };
    # only reachable over tailscale anyway
    openFirewall = lib.mkDefault false;
  };
  networking.firewall.interfaces."tailscale0".allowedTCPPorts = [22];
}
