{ lib, config, ... }:
{
  # everyone may log in everywhere; otto only on the family desktop
  users.users.ines = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
  };
  users.users.otto = lib.mkIf (config.networking.hostName == "lumen") {
    isNormalUser = true;
  };
}
