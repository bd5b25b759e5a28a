# plover and bittern: the NixOS desktops (not gannet).
{ pkgs, ... }:
{
  # from emacs-overlay
  programs.emacs.package = pkgs.emacs-unstable-pgtk;

  home.packages = with pkgs; [
    spotify # unfree
    obsidian # unfree
    iosevka
    joypixels # needs joypixels.acceptLicense (flake.nix)
    wl-ocr # from overlays/ (pkgs/wl-ocr), wayland only
  ];

  fonts.fontconfig = {
    enable = true;
    defaultFonts.emoji = [ "JoyPixels" ];
  };
}
