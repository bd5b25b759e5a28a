{ ... }:
{
  imports = [ ./desktop.nix ];

  # the TV, sitting 3 m away
  programs.emacs.extraConfig = ''
    (set-face-attribute 'default nil :height 160)
  '';

  xdg.configFile."wallpaper.png".source = ../../assets/fjord.png;
}
