{ lib, ... }:
{
  programs.git = {
    enable = true;
    userName = "Wren Okafor";
    userEmail = lib.mkDefault "wren@cozy.example";
    extraConfig = {
      init.defaultBranch = "main";
      pull.rebase = true;
    };
    ignores = lib.splitString "\n" (builtins.readFile ./gitignore_global);
  };
}
