{ ... }:
{
  programs.git = {
    enable = true;
    userName = "Maren Voss";
    userEmail = "maren@vossnet.de";
    extraConfig = {
      init.defaultBranch = "main";
      pull.rebase = true;
    };
  };
}
