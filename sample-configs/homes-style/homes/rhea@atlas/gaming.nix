{ pkgs, ... }:
{
  home.packages = with pkgs; [
    mangohud
    heroic
    prismlauncher
  ];
  programs.mangohud = {
    enable = true;
    settings = { fps_limit = 144; cpu_temp = true; gpu_temp = true; };
  };
}
