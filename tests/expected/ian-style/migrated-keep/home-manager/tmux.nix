{ pkgs, ... }:
{
  # plain tmux.conf, I don't like programs.tmux's generated prelude
  home.packages = [ pkgs.tmux ];
  home.file.".tmux.conf".source = ./tmux.conf;
}
