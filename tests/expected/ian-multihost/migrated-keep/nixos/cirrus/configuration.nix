# cirrus: ThinkPad T480, the "family laptop". alice + bob.
{
  inputs,
  lib,
  pkgs,
  ...
}: {
  imports = [
    inputs.hardware.nixosModules.lenovo-thinkpad-t480

    ../common
    ../common/printing.nix

    ./hardware-configuration.nix
    ./power.nix
  ];

  networking.hostName = "cirrus";

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;

  users.users.bob = {
    isNormalUser = true;
    description = "Bob Byrne";
    extraGroups = ["networkmanager" "lp" "scanner"];
    shell = pkgs.bashInteractive;
    # TODO: hashedPasswordFile once I set up sops
    initialPassword = "changeme";
  };

  services.fprintd.enable = true;

  system.stateVersion = "24.05";
}
