{
  programs.git = {
    enable = true;
    userName  = "Sam Ferreira";
    userEmail = "sam@ferreira.example";
    aliases.lg = "log --graph --oneline --decorate";
  };
}
