{pkgs, ...}: {
  hardware.graphics = {
    enable = true;
    enable32Bit = true; # steam
  };
  hardware.amdgpu = {
    initrd.enable = true;
    opencl.enable = true; # darktable
  };
  # fan curve / undervolt GUI
  environment.systemPackages = [pkgs.lact];
  systemd.packages = [pkgs.lact];
  systemd.services.lactd.wantedBy = ["multi-user.target"];
}
