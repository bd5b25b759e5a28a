# nimbus -- Framework 13 (7840U). Goes everywhere.
{ inputs, ... }:
{
  imports = [
    inputs.nixos-hardware.nixosModules.framework-13-7040-amd
    ./hardware-configuration.nix
    ./power.nix
  ];

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  boot.initrd.luks.devices."luks-root".device = "/dev/disk/by-uuid/e3c1a9f2-64b0-4c55-8d1e-7a2f9b0c6d13";

  rhea.desktop.enable = true;

  services.fwupd.enable = true;
  services.fprintd.enable = true;

  system.stateVersion = "24.11";
}
