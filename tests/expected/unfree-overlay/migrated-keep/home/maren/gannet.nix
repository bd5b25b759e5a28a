# gannet: the work laptop, Ubuntu 24.04 with nix on top.
{ pkgs, ... }:
{
  targets.genericLinux.enable = true;

  home.packages = with pkgs; [
    slack
    zoom-us
  ];

  programs.git.userEmail = "maren.voss@work.example";
}
