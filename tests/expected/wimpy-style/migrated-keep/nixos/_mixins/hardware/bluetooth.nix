{ pkgs, ... }:
{
  hardware.bluetooth = {
    enable = true;
    powerOnBoot = false;
    settings.General.Experimental = true; # battery level of headphones
  };
  services.blueman.enable = true;
  environment.systemPackages = [ pkgs.bluetuith ];
}
