{ pkgs, ... }:
{
  programs.fish = {
    enable = true;
    interactiveShellInit = "set -g fish_greeting";
    shellAbbrs = {
      rb = "sudo nixos-rebuild switch --flake ~/nix";
      g  = "git";
    };
  };
  programs.starship.enable = true;   
  programs.zoxide.enable = true;
  programs.fzf.enable = true;
  programs.atuin = {
    enable = true;
    settings = { auto_sync = false; style = "compact"; };
  };
  home.packages = with pkgs; [ ripgrep fd jq btop ];
}
