{
  services.jellyfin = {
    enable = true;
    openFirewall = true;
  };
  # media disk is mounted at /srv/media (hardware-configuration.nix)
  systemd.tmpfiles.rules = ["d /srv/media 0775 jellyfin jellyfin -"];
}
