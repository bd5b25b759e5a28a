# ana's home, on every machine (NixOS or not). Per-machine differences come
# from the arguments mkHome passes, not from per-host files.
{
  desktop,
  lib,
  pkgs,
  stateVersion,
  username,
  ...
}:
{
  imports =
    [
      ./shell.nix
      ./git.nix
      ./editor.nix
    ]
    ++ lib.optional (desktop != null) ./desktop;

  home = {
    inherit username stateVersion;
    homeDirectory = "/home/${username}";

    packages = with pkgs; [
      ripgrep fd jq
      btop
      restic   # backups go to heron, see machines/server/heron/backups.nix
      nix-output-monitor
    ];
  };

  programs.home-manager.enable = true;

  # switching restarts changed user units instead of printing a list of them
  systemd.user.startServices = "sd-switch";

  news.display = "silent";
}
