{ username, ... }:
{
  services.jellyfin = {
    enable = true;
    openFirewall = true;
  };
  # so I can drop files into /srv/media over sftp
  users.users.${username}.extraGroups = [ "jellyfin" ];
  systemd.tmpfiles.rules = [ "d /srv/media 0775 jellyfin jellyfin -" ];
}
