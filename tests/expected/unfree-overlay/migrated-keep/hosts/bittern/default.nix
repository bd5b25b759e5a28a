# bittern: the living-room PC (Ryzen 5 5600G, no GPU card). Three of us use it.
{ pkgs, ... }:

{
  imports = [
    ./hardware-configuration.nix
    ../common
  ];

  networking.hostName = "bittern";

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;

  # No nixpkgs.config here on purpose: the system stays free software.
  # Steam comes from flathub, the rest of the unfree stuff is per user
  # (home-manager's pkgs in flake.nix).
  services.flatpak.enable = true;

  hardware.graphics.enable = true;

  users.users.jonas = {
    isNormalUser = true;
    description = "Jonas";
    extraGroups = [ "networkmanager" ];
  };
  users.users.pia = {
    isNormalUser = true;
    description = "Pia";
  };

  system.stateVersion = "24.11";
}
