#!/usr/bin/env bash
set -euo pipefail
DEST=/run/media/priya/passport/lark
if ! mountpoint -q /run/media/priya/passport; then
  echo "backup disk not mounted, skipping"
  exit 0
fi
mkdir -p "$DEST"
rsync -a --delete "$HOME/photos/" "$DEST/photos/"
rsync -a --delete "$HOME/docs/" "$DEST/docs/"
date > "$DEST/.last-backup"
