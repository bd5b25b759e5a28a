# Everything every machine gets.
{ config, lib, pkgs, ... }:

{
  imports = [
    ./users.nix
    ./nix-settings.nix
  ];

  time.timeZone = "Europe/Lisbon";
  i18n.defaultLocale = "en_GB.UTF-8";
  console.keyMap = "pt-latin1";

  services.openssh = {
    enable = true;
    settings.PasswordAuthentication = false;
  };

  environment.systemPackages = with pkgs; [
    git
    htop
    rsync
    vim # muscle memory, even on the server
  ];
}
