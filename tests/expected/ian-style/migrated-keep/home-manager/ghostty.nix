{ unstable, ... }:

# ghostty isn't in 24.11, take it from unstable.
# Config is a plain file because I copy it to my work mac as well.
{
  home.packages = [ unstable.ghostty ];

  xdg.configFile."ghostty/config".source = ./ghostty.conf;
}
