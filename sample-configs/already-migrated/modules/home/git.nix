{
  programs.git = {
    enable = true;
    userName = "Noor Haddad";
    userEmail = "noor@haddad.nl";
    difftastic.enable = true;
    extraConfig = {
      init.defaultBranch = "main";
      push.autoSetupRemote = true;
    };
  };
  programs.lazygit.enable = true;
}
