# only on lark (see the hostname check in home.nix)
{ pkgs, ... }:
{
  services.swayidle = {
    enable = true;
    timeouts = [
      { timeout = 300; command = "${pkgs.swaylock}/bin/swaylock -f -c 282828"; }
      { timeout = 600; command = "${pkgs.systemd}/bin/systemctl suspend"; }
    ];
  };
  services.batsignal.enable = true;
  home.packages = [ pkgs.brightnessctl ];
}
