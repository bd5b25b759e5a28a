# sourced by programs.zsh.initExtra
alias ll='eza -l --git'
alias gs='git status -sb'
alias rebuild='sudo nixos-rebuild switch --flake ~/cozy'
