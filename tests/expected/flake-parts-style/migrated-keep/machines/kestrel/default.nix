{ hostName, ... }:
{
  imports = [ ./hardware-configuration.nix ./power.nix ];

  networking.hostName = hostName;
  # fingerprint reader works since 6.9
  services.fprintd.enable = true;

  system.stateVersion = "24.11";
}
