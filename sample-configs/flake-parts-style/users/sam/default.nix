# Sam everywhere: shell, git, editor.
{ ... }:
{
  imports = [
    ./shell.nix
    ./git.nix
    ./editor
  ];

  home.username = "sam";
  programs.home-manager.enable = true;

  home.stateVersion = "24.05";
}
