{ config, lib, pkgs, ... }:
{
  programs.git = {
    userName = "Dana Okafor";
    userEmail = "dana@okafor.example";
    signing = {
      key = "~/.ssh/id_ed25519.pub";
      signByDefault = true;
    };
    extraConfig.gpg.format = "ssh";
  };

  # gh wants a token for the extensions; decrypted by the agenix HM module
  age.identityPaths = [ "${config.home.homeDirectory}/.ssh/id_ed25519" ];
  age.secrets.gh-token.file = ../../../../secrets/gh-token.age;
  programs.fish.interactiveShellInit = lib.mkAfter ''
    set -gx GH_TOKEN (cat ${config.age.secrets.gh-token.path} 2>/dev/null)
  '';

  home.file.".face".source = ../../../assets/wall.png; # TODO: an actual photo
  home.file."bin/up" = {
    source = ./up.sh;
    executable = true;
  };

  home.packages = with pkgs; [
    age
    yt-dlp
    hledger
  ];
}
