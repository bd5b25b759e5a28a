# ~/.config/home-manager/home.nix -> symlink to this file
# home-manager channel: https://github.com/nix-community/home-manager/archive/release-24.05.tar.gz
{ config, lib, pkgs, ... }:

let
  # the same home.nix also runs on the office workstation (Fedora + nix),
  # laptop-only bits are keyed on the hostname
  hostname = lib.removeSuffix "\n" (builtins.readFile /etc/hostname);

  unstable = import <nixos-unstable> { config.allowUnfree = true; };
in
{
  imports = [
    ./home/shell.nix
    ./home/git.nix
    ./home/neovim.nix
    ./home/tmux.nix
    ./home/packages.nix
    ./home/sway.nix
    ./home/foot.nix
    # ./home/emacs.nix    # RIP, 2023-2024
  ] ++ lib.optional (hostname == "lark") ./home/laptop.nix;

  # Home Manager needs a bit of information about you and the paths it should
  # manage.
  home.username = "priya";
  home.homeDirectory = "/home/priya";

  # This value determines the Home Manager release that your configuration is
  # compatible with. This helps avoid breakage when a new Home Manager release
  # introduces backwards incompatible changes.
  #
  # You should not change this value, even if you update Home Manager. If you do
  # want to update the value, then make sure to first check the Home Manager
  # release notes.
  home.stateVersion = "24.05"; # Please read the comment before changing.

  nixpkgs.config.allowUnfree = true;

  home.packages = [
    unstable.zed-editor
    unstable.uv
  ];

  home.sessionVariables = {
    EDITOR = "nvim";
    MOZ_ENABLE_WAYLAND = "1";
  };

  home.file.".local/share/backgrounds/lark.png".source = ./assets/wallpaper.png;

  # Let Home Manager install and manage itself.
  programs.home-manager.enable = true;
}
