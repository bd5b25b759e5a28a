# wren: ThinkPad X13 Gen 2 (AMD). Travels, so GNOME: fewer surprises with
# projectors and hotel wifi captive portals than my sway setup.
{ inputs, ... }:
{
  imports = [
    ./hardware-configuration.nix
    inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x13
    # ../../../secrets/wifi.nix
    # ^ imported only after `git-crypt unlock` on this machine: in a locked
    #   checkout it is ciphertext and evaluation fails. Uncomment, rebuild,
    #   don't commit the uncommented line.
  ];

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;

  services.fprintd.enable = true;
  services.fwupd.enable = true;

  # installed from the 24.05 ISO; see machines/default.nix for why this wins
  system.stateVersion = "24.05";
}
