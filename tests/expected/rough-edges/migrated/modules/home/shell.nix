{ pkgs, ... }:
{
  programs.fish = {
    enable = true;
    interactiveShellInit = ''
      set -g fish_greeting
    '';
    shellAbbrs = {
      g = "git";
      nrs = "sudo nixos-rebuild switch --flake ~/src/dotfiles";
      hms = "home-manager switch --flake ~/src/dotfiles";
      # heron's DNS is blocky; when a site won't load this says whether it's blocked
      why = "dig @heron +short";
    };
  };

  programs.starship = {
    enable = true;
    settings = {
      add_newline = false;
      # the nix_shell symbol is the only reason I remember I'm in `nix develop`
      nix_shell.format = "[$symbol$state]($style) ";
    };
  };

  programs.zoxide.enable = true;
  programs.direnv = { enable = true; nix-direnv.enable = true; };
  programs.fzf.enable = true;
}
