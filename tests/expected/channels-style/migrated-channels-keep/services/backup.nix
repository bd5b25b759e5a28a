{ config, pkgs, ... }:

{
  # rsync ~/photos and ~/docs to the external disk if it's plugged in
  systemd.services.backup-home = {
    description = "copy photos/docs to the external disk";
    path = with pkgs; [ rsync util-linux coreutils ];
    serviceConfig = {
      Type = "oneshot";
      ExecStart = "${pkgs.bash}/bin/bash ${./scripts/backup.sh}";
      User = "priya";
    };
    startAt = "daily";
  };
  systemd.timers.backup-home.timerConfig.Persistent = true;
}
