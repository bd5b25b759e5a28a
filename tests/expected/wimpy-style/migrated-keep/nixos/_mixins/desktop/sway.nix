# Tried sway for a couple of weeks in March; went back to Hyprland.
# No host uses desktop = "sway" any more, keeping it around just in case.
{ pkgs, ... }:
{
  programs.sway = {
    enable = true;
    wrapperFeatures.gtk = true;
    extraPackages = with pkgs; [ swaylock swayidle foot wmenu ];
  };
  security.polkit.enable = true;
}
