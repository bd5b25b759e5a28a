{ ... }:
{
  programs.git = {
    enable = true;
    userName = "Ana Kovač";
    userEmail = "ana@kovac.hr";

    extraConfig = {
      init.defaultBranch = "main";
      pull.rebase = true;
      rebase.autoStash = true;
      # work repos are huge; this made `git status` bearable on tern
      feature.manyFiles = true;
    };

    ignores = [ ".direnv/" "result" "result-*" ];

    delta.enable = true;
  };
}
