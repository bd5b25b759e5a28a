{ pkgs, ... }:
{
  home.stateVersion = "24.11";
  home.packages = [ pkgs.rectangle ];
  programs.git.userEmail = "wren.okafor@work.example";
}
