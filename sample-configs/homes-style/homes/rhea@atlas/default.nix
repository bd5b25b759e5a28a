{ pkgs, ... }:
{
  imports = [ ./gaming.nix ];

  rhea.desktop.enable = true;

  home.packages = with pkgs; [
    ollama
    blender
    darktable
  ];

  # two 4k screens, everything is tiny otherwise
  programs.foot.settings.main.dpi-aware = "yes";
}
