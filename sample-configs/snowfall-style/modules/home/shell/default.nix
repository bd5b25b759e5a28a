{ config, lib, pkgs, namespace, host ? "somewhere", ... }:
{
  programs.zsh = {
    enable = true;
    autosuggestion.enable = true;
    initExtra = builtins.readFile ./aliases.zsh;
  };

  programs.starship = {
    enable   = true;
    settings.hostname.format = "[${lib.${namespace}.banner host}]($style) ";
  };
}
