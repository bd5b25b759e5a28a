{ user, pkgs, ... }:
{
  home.username = user;
  home.homeDirectory = "/home/${user}";
  home.stateVersion = "24.05";

  programs.git = {
    enable = true;
    userName = "Wren Ashby";
    userEmail = "wren@ashby.ie";
  };
  programs.fish.enable = true;
  home.packages = with pkgs; [ ripgrep fd jq ];
}
