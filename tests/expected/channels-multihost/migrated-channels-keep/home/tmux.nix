{ pkgs, ... }:
{
  programs.tmux = {
    enable = true;
    terminal = "tmux-256color";
    escapeTime = 10;
    extraConfig = builtins.readFile ./tmux.conf;
  };
}
