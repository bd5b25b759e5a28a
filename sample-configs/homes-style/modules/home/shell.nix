{ config, lib, pkgs, standalone, ... }:
{
  programs.zsh = {
    enable = true;
    autosuggestion.enable = true;
    syntaxHighlighting.enable = true;
    dotDir = ".config/zsh";
    history = {
      size = 50000;
      path = "${config.xdg.stateHome}/zsh/history";
      ignoreDups = true;
    };
    shellAliases = {
      ll = "eza -l --git";
      # `rebuild` from the overlay does the right thing, this is the muscle-memory one
      hm = if standalone then "home-manager switch --flake ~/src/dots" else "sudo nixos-rebuild switch --flake ~/src/dots";
    };
  };

  programs.starship = {
    enable = true;
    settings.character = { success_symbol = "[λ](bold green)"; error_symbol = "[λ](bold red)"; };
  };

  home.packages = lib.optionals standalone [ pkgs.rebuild ];
}
