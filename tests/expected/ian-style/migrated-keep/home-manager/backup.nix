{ pkgs, ... }:

# restic to the NAS every evening. The same script is `nix run .#backup`.
let
  backup = pkgs.callPackage ../pkgs/backup.nix { };
in
{
  home.packages = [ backup ];

  systemd.user.services.backup = {
    Unit.Description = "restic backup of ~ to the NAS";
    Service = {
      Type = "oneshot";
      ExecStart = "${backup}/bin/backup";
      Nice = 19;
      IOSchedulingClass = "idle";
    };
  };

  systemd.user.timers.backup = {
    Unit.Description = "nightly restic backup";
    Timer = {
      OnCalendar = "*-*-* 20:30:00";
      Persistent = true;
      RandomizedDelaySec = "15m";
    };
    Install.WantedBy = [ "timers.target" ];
  };
}
