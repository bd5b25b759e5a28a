{ config, ... }:
{
  programs.fish = {
    enable = true;
    interactiveShellInit = ''
      set fish_greeting # Disable greeting
      set -gx MANPAGER "sh -c 'col -bx | bat -l man -p'"
    '';
    shellAbbrs = {
      gs  = "git status";
      gd  = "git diff";
      gp  = "git push";
      hms = "home-manager switch -b backup --flake ${config.home.sessionVariables.FLAKE}";
      # nrs = "sudo nixos-rebuild switch --flake $FLAKE";  # `just host` now
    };
    shellAliases = {
      cat = "bat --paging=never";
      ip  = "ip --color --brief";
    };
  };
}
