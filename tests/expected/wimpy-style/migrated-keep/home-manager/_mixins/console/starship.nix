{ lib, ... }:
{
  programs.starship = {
    enable = true;
    enableFishIntegration = true;
    settings = {
      add_newline = false;
      format = lib.concatStrings [
        "$hostname"
        "$directory"
        "$git_branch"
        "$git_status"
        "$nix_shell"
        "$character"
      ];
      hostname = {
        ssh_only = true;
        format = "[$hostname]($style) ";
      };
      nix_shell.symbol = "❄️ ";
    };
  };
}
