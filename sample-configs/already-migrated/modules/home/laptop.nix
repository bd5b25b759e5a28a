# pebble only (see default.nix)
{ pkgs, ... }:
{
  services.swayidle.timeouts = [
    { timeout = 240; command = "${pkgs.brightnessctl}/bin/brightnessctl -s set 10%"; resumeCommand = "${pkgs.brightnessctl}/bin/brightnessctl -r"; }
    { timeout = 600; command = "${pkgs.systemd}/bin/systemctl suspend"; }
  ];
  services.batsignal.enable = true;
}
