# forge: the desk tower. Ryzen 7 5800X3D, RX 6800, 2x NVMe.
{ inputs, pkgs, ... }:
{
  imports = [
    inputs.nixos-hardware.nixosModules.common-cpu-amd
    inputs.nixos-hardware.nixosModules.common-pc-ssd
    ./boot.nix
    ./disks.nix
    ./hardware.nix
    ../_mixins/hardware/amdgpu.nix
    ../_mixins/hardware/bluetooth.nix
    ../_mixins/services/smartd.nix
    ../_mixins/services/tailscale.nix
  ];

  programs.steam.enable = true;
  hardware.keyboard.qmk.enable = true;

  environment.systemPackages = with pkgs; [ lact ];
  systemd.packages = [ pkgs.lact ];
  systemd.services.lactd.wantedBy = [ "multi-user.target" ];
}
