# Edit this configuration file to define what should be installed on
# your system.  Help is available in the configuration.nix(5) man page
# and in the NixOS manual (accessible by running ‘nixos-help’).
#
# This repo is symlinked: /etc/nixos -> ~/src/nixos-config
# channels (sudo nix-channel --list):
#   nixos            https://nixos.org/channels/nixos-24.05
#   nixos-unstable   https://nixos.org/channels/nixos-unstable
#   nixos-hardware   https://github.com/NixOS/nixos-hardware/archive/master.tar.gz

{ config, lib, pkgs, ... }:

let
  unstable = import <nixos-unstable> { config = config.nixpkgs.config; };
  theme = import ./theme.nix;
in
{
  imports =
    [ # Include the results of the hardware scan.
      ./hardware-configuration.nix
      <nixos-hardware/lenovo/thinkpad/x1/9th-gen>
      ./services/openssh.nix
      ./services/sway.nix
      ./services/pipewire.nix
      ./services/printing.nix
      ./services/tlp.nix
      ./services/backup.nix
      <home-manager/nixos>
      # ./services/nginx.nix
    ]
    # wifi passwords etc, not in git
    ++ lib.optional (builtins.pathExists ./secrets.nix) ./secrets.nix;

  # Bootloader.
  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  boot.initrd.luks.devices."luks-2c81f0d7-6e3a-4b59-a1d4-8f7e9c0b3a62".device = "/dev/disk/by-uuid/2c81f0d7-6e3a-4b59-a1d4-8f7e9c0b3a62";

  networking.hostName = "lark"; # Define your hostname.
  # networking.wireless.enable = true;  # Enables wireless support via wpa_supplicant.

  # Enable networking
  networking.networkmanager.enable = true;

  # Set your time zone.
  time.timeZone = "Asia/Kolkata";

  # Select internationalisation properties.
  i18n.defaultLocale = "en_IN";
  i18n.extraLocaleSettings = {
    LC_ADDRESS = "en_IN";
    LC_MEASUREMENT = "en_IN";
    LC_MONETARY = "en_IN";
    LC_TIME = "en_GB.UTF-8";  # 24h clock please
  };

  console = {
    font = "ter-v24n";
    packages = [ pkgs.terminus_font ];
    colors = theme.console;
  };

  # Define a user account. Don't forget to set a password with ‘passwd’.
  users.users.priya = {
    isNormalUser = true;
    description = "Priya Raghavan";
    extraGroups = [ "networkmanager" "wheel" "video" "lp" ];
    shell = pkgs.zsh;
  };
  programs.zsh.enable = true;

  # Allow unfree packages
  nixpkgs.config.allowUnfree = true;

  # List packages installed in system profile. To search, run:
  # $ nix search wget
  environment.systemPackages = with pkgs; [
    vim # Do not forget to add an editor to edit configuration.nix! The Nano editor is also installed by default.
    wget
    git
    home-manager
    unstable.fw-ectool
  ];

  nix.settings.auto-optimise-store = true;
  nix.gc = {
    automatic = true;
    dates = "weekly";
    options = "--delete-older-than 30d";
  };

  services.fwupd.enable = true;
  zramSwap.enable = true;

  # This value determines the NixOS release from which the default
  # settings for stateful data, like file locations and database versions
  # on your system were taken. It‘s perfectly fine and recommended to leave
  # this value at the release version of the first install of this system.
  # Before changing this value read the documentation for this option
  # (e.g. man configuration.nix or on https://nixos.org/nixos/options.html).
  system.stateVersion = "24.05"; # Did you read the comment?
  home-manager = {
    useGlobalPkgs = false;
    useUserPackages = true;
    backupFileExtension = "hm-backup";
    users.priya = import ./home.nix;
  };
}
