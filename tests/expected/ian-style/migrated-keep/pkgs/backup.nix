{ writeShellApplication, restic, libnotify }:

writeShellApplication {
  name = "backup";
  runtimeInputs = [ restic libnotify ];
  text = builtins.readFile ../scripts/backup.sh;
}
