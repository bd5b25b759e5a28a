{ ... }:
{
  services.thermald.enable = true;
  services.tlp = {
    enable = true;
    settings = {
      CPU_SCALING_GOVERNOR_ON_AC  = "performance";
      CPU_SCALING_GOVERNOR_ON_BAT = "powersave";
      START_CHARGE_THRESH_BAT0 = 60;   # battery is 3 years old, be nice to it
      STOP_CHARGE_THRESH_BAT0  = 80;
    };
  };
  powerManagement.powertop.enable = false;  # fights with tlp
  services.logind.lidSwitch = "suspend";
}
