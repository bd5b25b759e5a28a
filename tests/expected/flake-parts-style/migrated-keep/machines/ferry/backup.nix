{ pkgs, ... }:
{
  # nightly pull of the desktops' /home, kept 30 days
  services.restic.server = {
    enable = true;
    dataDir = "/srv/backup/restic";
    appendOnly = true;
  };
  environment.systemPackages = [ pkgs.restic ];
  systemd.tmpfiles.rules = [ "d /srv/backup/restic 0750 restic restic -" ];
  environment.etc."restic/excludes".source = ./excludes.txt;
}
