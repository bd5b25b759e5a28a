{pkgs, ...}: {
  imports = [
    ../common
    ../common/firefox.nix
    ./games.nix
  ];

  home.username = "bob";
  home.homeDirectory = "/home/bob";

  programs.git = {
    userName = "Bob Byrne";
    userEmail = "bob.byrne@gmail.com";
  };

  home.packages = with pkgs; [libreoffice-qt6-fresh vlc gimp];

  home.stateVersion = "24.05";
}
