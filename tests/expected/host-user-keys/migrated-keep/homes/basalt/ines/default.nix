{ ... }:
{
  imports = [ ../../lumen/ines/git.nix ];

  home.username = "ines";
  programs.vscode.enable = true;
}
