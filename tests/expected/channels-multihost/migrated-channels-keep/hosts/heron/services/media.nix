{ pkgs, ... }:
{
  services.jellyfin = {
    enable = true;
    openFirewall = false; # the port is opened in configuration.nix
  };
  users.users.jellyfin.extraGroups = [ "video" "render" ];
  environment.systemPackages = [ pkgs.jellyfin-ffmpeg ];
}
