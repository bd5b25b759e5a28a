{ config, pkgs, lib, ... }:
{
  imports = [ ./aliases.nix ];

  programs.zsh = {
    enable = true;
    autosuggestion.enable = true;
    syntaxHighlighting.enable = true;
    history.size = 50000;
    initExtra = builtins.readFile ./zshrc-extra.zsh;
  };

  programs.starship = {
    enable = true;
    settings = lib.importTOML ./starship.toml;
  };

  programs.fzf.enable = true;
  programs.zoxide.enable = true;
}
