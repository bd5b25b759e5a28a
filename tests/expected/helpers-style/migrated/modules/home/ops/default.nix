{
  home.username = "ops";
  home.homeDirectory = "/home/ops";
  programs.tmux = {
    enable = true;
    extraConfig = builtins.readFile ./tmux.conf;
  };
  home.stateVersion = "24.11";
}
