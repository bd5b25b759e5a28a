{ ... }:
{
  hardware.bluetooth = {
    enable = true;
    powerOnBoot = false;
    settings.General = {
      Experimental = true; # battery level of the headphones
      FastConnectable = true;
    };
  };
  services.blueman.enable = true;
}
