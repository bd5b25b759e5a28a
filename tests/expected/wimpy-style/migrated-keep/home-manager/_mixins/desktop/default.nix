{ desktop, pkgs, ... }:
{
  imports = [
    ./${desktop}.nix
    ./firefox.nix
    ./kitty.nix
  ];

  home.packages = with pkgs; [
    signal-desktop
    obsidian
    pwvucontrol
    # zoom-us   # only when work makes me
  ];

  gtk = {
    enable = true;
    theme = {
      name = "rose-pine";
      package = pkgs.rose-pine-gtk-theme;
    };
    iconTheme = {
      name = "Papirus-Dark";
      package = pkgs.papirus-icon-theme;
    };
  };

  xdg.userDirs = {
    enable = true;
    createDirectories = true;
    templates = null;
    publicShare = null;
  };
}
