# helix everywhere; the theme follows the desktop on NixOS (osConfig), dark elsewhere
{ pkgs, lib, osConfig ? null, ... }:
{
  programs.helix = {
    enable = true;
    defaultEditor = true;
    settings.theme = if osConfig != null && (osConfig.cozy.desktop.enable or false) then "catppuccin_latte" else "catppuccin_mocha";
    languages.language = [
      { name = "nix"; auto-format = true; formatter.command = "nixfmt"; }
    ];
  };
}
