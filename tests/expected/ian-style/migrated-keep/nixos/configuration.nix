# kestrel -- Framework 13 (Ryzen 7 7840U)
# system-level stuff only; everything per-user lives in ../home-manager
{ config, lib, pkgs, vars, ... }:

{
  imports =
    [
      ./hardware-configuration.nix
      ./boot.nix
      ./audio.nix
      ./fonts.nix
      ./bluetooth.nix
      ./users.nix
      ./desktop.nix
      ./power.nix
      # ./nvidia.nix   # old desktop tower, kept for when I set it up again
    ]
    ++ lib.optionals vars.docker [ ./docker.nix ];

  networking.hostName = vars.hostname;
  networking.networkmanager.enable = true;
  networking.firewall = {
    enable = true;
    allowedTCPPorts = [ 22000 ];        # syncthing
    allowedUDPPorts = [ 22000 21027 ];
  };

  time.timeZone = vars.timezone;
  i18n.defaultLocale = vars.locale;
  i18n.extraLocaleSettings = {
    LC_TIME     = "cs_CZ.UTF-8";
    LC_MONETARY = "cs_CZ.UTF-8";
    LC_PAPER    = "cs_CZ.UTF-8";
  };
  console.keyMap = "us";

  environment.systemPackages = with pkgs; [
    git
    vim          # for when home-manager is broken
    wget
    pciutils
    usbutils
  ];

  programs.nh = {
    enable = true;
    flake = "/home/${vars.username}/dotfiles";
    clean.enable = true;
    clean.extraArgs = "--keep-since 7d --keep 5";
  };

  services.fwupd.enable = true;
  services.printing.enable = false; # TODO: the office printer, one day

  nix.settings = {
    auto-optimise-store = true;
    trusted-users = [ "root" vars.username ];
  };

  # This value determines the NixOS release from which the default
  # settings for stateful data, like file locations and database versions
  # on your system were taken. It's perfectly fine and recommended to leave
  # this value at the release version of the first install of this system.
  system.stateVersion = "24.05"; # Did you read the comment?
}
