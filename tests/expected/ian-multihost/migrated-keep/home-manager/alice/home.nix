# alice's home, common to every machine. Per-machine bits: ./nimbus.nix, ./cirrus.nix
{
  inputs,
  outputs,
  lib,
  config,
  pkgs,
  ...
}: {
  imports = [
    inputs.nix-index-database.hmModules.nix-index

    ../common
    ../common/firefox.nix
    ../common/dev.nix

    ./helix.nix
    ./kitty.nix
  ];

  home = {
    username = "alice";
    homeDirectory = "/home/alice";
  };

  programs.git = {
    userName = "Alice Byrne";
    userEmail = "alice@byrne.ie";
  };

  programs.nix-index-database.comma.enable = true;

  services.syncthing.enable = true;

  home.packages = with pkgs; [
    tally          # pkgs/tally
    obsidian
    thunderbird
    keepassxc
  ];

  # https://nixos.wiki/wiki/FAQ/When_do_I_update_stateVersion
  home.stateVersion = "23.11";
}
