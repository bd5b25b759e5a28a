# every machine
{ hostname, ... }:
{
  imports = [
    ./nix.nix
    ./users.nix
    ./locale.nix
  ];

  networking.networkmanager.enable = true;
  services.tailscale.enable = true;
  services.openssh = {
    enable = true;
    settings.PasswordAuthentication = false;
  };

  # lets `ssh atlas` work from pebble and vice versa over tailscale
  networking.search = [ "tail4e2b1.ts.net" ];

  environment.etc."machine-name".text = hostname;
}
