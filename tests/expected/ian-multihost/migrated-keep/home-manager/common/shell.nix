{
  lib,
  pkgs,
  ...
}: {
  programs.bash.enable = true; # bob uses plain bash
  programs.fish = {
    enable = true;
    interactiveShellInit = "set -g fish_greeting";
    shellAliases = {
      ls = "eza";
      cat = "bat -p";
    };
  };
  programs.starship = {
    enable = true;
    settings = {
      format = lib.concatStrings ["$directory" "$git_branch" "$git_status" "$nix_shell" "$character"];
      directory.truncation_length = 3;
    };
  };
}
