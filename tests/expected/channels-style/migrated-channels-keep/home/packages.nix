{ pkgs, ... }:

{
  home.packages = with pkgs; [
    firefox
    thunderbird
    zotero
    libreoffice
    imv
    mpv
    zathura  
    pavucontrol
    # python3   -- use uv / devshells instead
    htop
    jq
    unzip
  ];
}
