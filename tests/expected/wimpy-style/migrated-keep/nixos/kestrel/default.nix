# kestrel: ThinkPad T14 Gen 2 (AMD), the travel machine.
{ inputs, lib, ... }:
{
  imports = [
    inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t14-amd-gen2
    ./boot.nix
    ./disks.nix
    ./hardware.nix
    ../_mixins/hardware/bluetooth.nix
    ../_mixins/hardware/fprintd.nix
    ../_mixins/services/tailscale.nix
  ];

  services.fwupd.enable = true;
  services.tailscale.useRoutingFeatures = "client";

  # lid closed on the dock: don't suspend
  services.logind = {
    lidSwitch = "suspend";
    lidSwitchDocked = "ignore";
    lidSwitchExternalPower = "lock";
  };

  powerManagement.powertop.enable = lib.mkDefault true;
}
