{
  programs.git = {
    enable   = true;
    userName  = "Priya Raghavan";
    userEmail = "priya@raghavan.dev";
    lfs.enable = true;
    extraConfig = {
      init.defaultBranch = "main";
      core.editor = "nvim";
      pull.rebase = true;
    };
    includes = [
      # work identity for everything under ~/work
      { condition = "gitdir:~/work/"; contents.user.email = "priya.r@acme-logistics.in"; }
    ];
  };
}
