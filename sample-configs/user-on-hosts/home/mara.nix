{ pkgs, ... }:
{
  home.username = "mara";
  home.homeDirectory = "/home/mara";
  home.stateVersion = "24.11";

  programs.zsh = {
    enable = true;
    autosuggestion.enable = true;
  };
  programs.git = {
    enable = true;
    userName = "Mara Lindqvist";
    userEmail = "mara@lindqvist.se";
  };
  home.packages = with pkgs; [ tmux ripgrep ];
}
