{ pkgs, ... }:
{
  # A plain kitty.conf instead of programs.kitty.settings: the same file goes
  # to machines without nix (scp'd to tern's predecessor, the Mac) untouched.
  home.packages = [ pkgs.kitty ];
  xdg.configFile."kitty/kitty.conf".source = ./kitty.conf;
}
