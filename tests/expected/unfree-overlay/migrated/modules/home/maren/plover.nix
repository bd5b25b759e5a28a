{ ... }:
{
  imports = [ ./desktop.nix ];

  # 1440x900, small screen
  programs.emacs.extraConfig = ''
    (set-face-attribute 'default nil :height 105)
  '';

  xdg.configFile."wallpaper.png".source = ../../../assets/dunes.png;
}
