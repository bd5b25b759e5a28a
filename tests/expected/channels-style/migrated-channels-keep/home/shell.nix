{ config, pkgs, ... }:

{
  programs.zsh = {
    enable = true;
    dotDir = ".config/zsh";
    autosuggestion.enable = true;
    syntaxHighlighting.enable = true;
    history = {
      size = 100000;
      path = "${config.xdg.dataHome}/zsh/history";
      ignoreSpace = true;
    };
    shellAliases = {
      ll = "ls -lah";
      hms = "home-manager switch";
      nrs = "sudo nixos-rebuild switch";
      gs = "git status";
    };
    initExtra = ''
      bindkey -e
      bindkey '^[[1;5C' forward-word
      bindkey '^[[1;5D' backward-word
    '';
  };

  programs.starship.enable = true;
  programs.fzf = { enable = true; enableZshIntegration = true; };
  programs.zoxide.enable = true;
  programs.direnv = { enable = true; nix-direnv.enable = true; };
}
