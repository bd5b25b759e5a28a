{ ... }:
{
  imports = [
    ./common.nix
    ./desktop.nix
  ];

  # smaller screen
  programs.kitty.settings.font_size = 10;
  programs.home-manager.enable = true;
}
