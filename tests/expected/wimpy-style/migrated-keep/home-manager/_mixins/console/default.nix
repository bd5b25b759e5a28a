{ lib, pkgs, ... }:
{
  imports = [
    ./fish.nix
    ./git.nix
    ./neovim.nix
    ./starship.nix
    ./tmux.nix
  ];

  home.packages = with pkgs; [
    bat
    btop
    fd
    jq
    ripgrep
    tree
    unzip
    unstable.nh
  ] ++ lib.optionals pkgs.stdenv.isLinux [
    wallpaper-cycle # from ./pkgs via overlays.additions
  ];

  programs.eza = {
    enable = true;
    git = true;
    icons = true;
  };
  programs.direnv = {
    enable = true;
    nix-direnv.enable = true;
  };
  programs.zoxide.enable = true;
  programs.fzf.enable = true;
}
