{
  programs.git = {
    enable = true;
    userName = "Sam Okafor";
    userEmail = "sam@okafor.dev";
    extraConfig = {
      init.defaultBranch = "main";
      pull.rebase = true;
    };
    ignores = [ ".direnv" "result" ];
  };
}
