{ lib, ... }:
{
  services.power-profiles-daemon.enable = false;
  services.tlp = {
    enable = true;
    settings = {
      START_CHARGE_THRESH_BAT0 = 75;
      STOP_CHARGE_THRESH_BAT0 = 85; # keeps the battery happy on the desk
    };
  };
  powerManagement.powertop.enable = lib.mkDefault true;
}
