{ vars, ... }:

{
  programs.git = {
    enable = true;
    userName = vars.fullName;
    userEmail = vars.email;

    signing = {
      key = "~/.ssh/id_ed25519.pub";
      signByDefault = true;
    };

    delta.enable = true;

    aliases = {
      st = "status -sb";
      lg = "log --graph --oneline --decorate --all";
      amend = "commit --amend --no-edit";
      wip = "!git add -A && git commit -m wip";
    };

    ignores = [ ".direnv/" "result" "result-*" ".envrc.local" "*.swp" ];

    extraConfig = {
      init.defaultBranch = "main";
      pull.rebase = true;
      push.autoSetupRemote = true;
      gpg.format = "ssh";
      rerere.enabled = true;
      # url."git@github.com:".insteadOf = "https://github.com/";
    };
  };

  programs.gh.enable = true;
}
