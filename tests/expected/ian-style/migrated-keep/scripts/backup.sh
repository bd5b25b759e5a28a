# sourced by writeShellApplication (no shebang needed, set -euo pipefail is added)
export RESTIC_REPOSITORY="sftp:nas.lan:/volume1/backup/kestrel"
export RESTIC_PASSWORD_FILE="$HOME/.config/restic/password"

restic backup "$HOME" \
  --exclude-caches \
  --exclude "$HOME/.cache" \
  --exclude "$HOME/downloads" \
  --exclude "$HOME/.local/share/Steam"

restic forget --keep-daily 7 --keep-weekly 4 --keep-monthly 6 --prune

notify-send "backup" "restic backup finished"
