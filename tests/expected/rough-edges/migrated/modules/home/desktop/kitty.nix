{ pkgs, ... }:
{
  # A plain kitty.conf instead of programs.kitty.settings: the same file gets
  # scp'd to boxes without nix, and kitty +kitten reads it as is there.
  home.packages = [ pkgs.kitty ];
  xdg.configFile."kitty/kitty.conf".source = ./kitty.conf;
}
