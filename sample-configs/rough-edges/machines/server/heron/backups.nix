{ pkgs, ... }:
{
  # lark and wren push to this with restic over sftp; heron only keeps the repo
  # and prunes it. The actual backup jobs are in the clients' home configs.
  users.users.restic = {
    isSystemUser = true;
    group = "restic";
    home = "/srv/restic";
    createHome = true;
    shell = "/run/current-system/sw/bin/nologin";
    openssh.authorizedKeys.keys = [
      ''command="internal-sftp -d /srv/restic",restrict ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN7rJx1Vq2c0q8Zt5yYp3bQWd4m9GkEo1FhU2sLrT6aP restic@clients''
    ];
  };
  users.groups.restic = { };

  services.openssh.extraConfig = ''
    Match User restic
      ChrootDirectory /srv
      ForceCommand internal-sftp
  '';

  # prune once a week; keep it simple, the clients do --keep-* on their side too
  systemd.services.restic-prune = {
    description = "prune the restic repository on /srv/restic";
    startAt = "Sun 04:30";
    serviceConfig = {
      User = "restic";
      ExecStart = "${pkgs.restic}/bin/restic -r /srv/restic/repo --password-file /srv/restic/.pw forget --prune --keep-weekly 8 --keep-monthly 12";
    };
  };
}
