{ config, ... }:
{
  programs.git = {
    enable = true;
    userName = "Mira Sousa";
    userEmail = "mira@example.org";
    extraConfig = {
      init.defaultBranch = "main";
      pull.rebase = true;
      # Machine-specific bits, e.g. a work signing key, stay out of git.
      include.path = "${config.home.homeDirectory}/.config/git/local";
    };
    ignores = [ ".direnv" "result" "*.swp" ];
  };
}
