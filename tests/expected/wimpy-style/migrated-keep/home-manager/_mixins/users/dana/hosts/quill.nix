# quill: MacBook Air M2. Home Manager only, nix-darwin maybe one day.
{ config, lib, pkgs, ... }:
{
  home.packages = with pkgs; [
    coreutils
    gnused
    # rectangle  # installed from the app store, the nix one can't update itself
  ];

  programs.fish.shellInit = ''
    # Nix on macOS: make sure the daemon profile is first in PATH
    fish_add_path --prepend --global /nix/var/nix/profiles/default/bin ${config.home.homeDirectory}/.nix-profile/bin
  '';

  targets.darwin.defaults."com.apple.dock" = {
    autohide = true;
    tilesize = 42;
  };
  programs.git.extraConfig.credential.helper = lib.mkForce "osxkeychain";
}
