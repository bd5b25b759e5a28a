{ pkgs, ... }:
{
  home.packages = with pkgs; [ firefox thunderbird ];
  dconf.settings."org/gnome/desktop/interface".color-scheme = "prefer-dark";
}
