{ pkgs, ... }:
let
  palette = import ../../../themes/rose.nix;
in
{
  programs.tmux = {
    enable = true;
    shortcut = "a";
    baseIndex = 1;
    escapeTime = 0;
    mouse = true;
    terminal = "tmux-256color";
    plugins = with pkgs.tmuxPlugins; [ sensible yank ];
    extraConfig = ''
      set -g status-style "bg=#${palette.surface},fg=#${palette.text}"
      set -g pane-active-border-style "fg=#${palette.iris}"
      source-file ${./tmux.conf}
    '';
  };
}
