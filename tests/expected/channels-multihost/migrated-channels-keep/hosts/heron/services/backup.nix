{ pkgs, ... }:
{
  # Nightly restic snapshot of /srv and /home to the USB disk.
  services.restic.backups.usb = {
    repository = "/mnt/usb-backup/restic";
    passwordFile = "/etc/restic-password";
    paths = [ "/srv" "/home" ];
    exclude = [ "/srv/media/cache" ];
    timerConfig.OnCalendar = "02:30";
    pruneOpts = [ "--keep-daily 7" "--keep-weekly 5" "--keep-monthly 12" ];
  };
  systemd.services.restic-backups-usb.path = [ pkgs.util-linux ];
  environment.etc."restic-excludes".source = ./restic-excludes.txt;
}
