{ pkgs, ... }:
{
  home.packages = with pkgs; [ cudatoolkit nvtopPackages.nvidia ];
  home.sessionVariables.CUDA_PATH = "${pkgs.cudatoolkit}";
}
