{ pkgs, ... }:
{
  home.username = "lena";
  home.homeDirectory = "/home/lena";

  programs.git = {
    enable = true;
    userName = "Lena Gruber";
    userEmail = "lena@gruber.at";
  };
  programs.zsh.enable = true;
  home.file.".zshrc.local".source = ./zshrc.local;
  home.packages = [ pkgs.ripgrep ];

  home.stateVersion = "24.11";
}
