# noor's home. Imported by flake.nix as home-manager.users.noor on every host,
# `hostname` comes from home-manager.extraSpecialArgs.
{ lib, hostname, ... }:
{
  imports =
    [
      ./shell.nix
      ./git.nix
      ./editor.nix
      ./terminal.nix
      ./desktop.nix
    ]
    ++ lib.optionals (hostname == "atlas") [ ./gaming.nix ]
    ++ lib.optionals (hostname == "pebble") [ ./laptop.nix ];

  # username / homeDirectory are filled in by the NixOS module from users.users.noor

  programs.nix-index-database.comma.enable = true;

  home.stateVersion = "24.11";
}
