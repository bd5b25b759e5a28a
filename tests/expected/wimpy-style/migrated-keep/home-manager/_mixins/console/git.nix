{ pkgs, ... }:
{
  programs.git = {
    enable = true;
    delta.enable = true;
    aliases = {
      lg = "log --graph --oneline --decorate --all";
      amend = "commit --amend --no-edit";
    };
    extraConfig = {
      init.defaultBranch = "main";
      pull.rebase = true;
      push.autoSetupRemote = true;
      rerere.enabled = true;
    };
    ignores = [ ".direnv" "result" "result-*" ".DS_Store" ];
  };
  programs.gh = {
    enable = true;
    extensions = [ pkgs.gh-dash ];
    settings.git_protocol = "ssh";
  };
}
