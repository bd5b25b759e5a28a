{ config, lib, pkgs, vars, ... }:

{
  imports = [
    ./git.nix
    ./ghostty.nix
    ./nixvim.nix
    ./packages.nix
    ./sh.nix
    ./tmux.nix
    ./hyprland.nix
    ./firefox.nix
    ./backup.nix
    # ./alacritty.nix   # switched to ghostty (dec 2024)
  ]
  # machine-local overrides that I don't want in git (see .gitignore)
  ++ lib.optional (builtins.pathExists ./local.nix) ./local.nix;

  home.username = vars.username;
  home.homeDirectory = "/home/${vars.username}";

  home.sessionVariables = {
    EDITOR = "nvim";
    BROWSER = "firefox";
    NIXOS_OZONE_WL = "1";
  };

  xdg.enable = true;
  xdg.userDirs = {
    enable = true;
    createDirectories = true;
    desktop = "${config.home.homeDirectory}/desktop";
    download = "${config.home.homeDirectory}/downloads";
    documents = "${config.home.homeDirectory}/docs";
    # music / videos / templates: don't care, defaults are fine
  };

  # Let Home Manager install and manage itself.
  programs.home-manager.enable = true;

  home.stateVersion = "24.05"; # don't bump this
}
