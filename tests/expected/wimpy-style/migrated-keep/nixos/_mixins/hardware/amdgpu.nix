{ pkgs, ... }:
{
  boot.initrd.kernelModules = [ "amdgpu" ];
  services.xserver.videoDrivers = [ "amdgpu" ];
  hardware.opengl = {
    enable = true;
    driSupport32Bit = true;
    extraPackages = with pkgs; [ rocmPackages.clr.icd ];
  };
  environment.systemPackages = [ pkgs.nvtopPackages.amd ];
}
