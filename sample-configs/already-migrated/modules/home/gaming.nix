# atlas only (see default.nix)
{ pkgs, ... }:
{
  programs.mangohud = {
    enable = true;
    settings = { fps_limit = 144; gpu_temp = true; cpu_temp = true; };
  };
  home.packages = [ pkgs.lutris pkgs.heroic ];
}
