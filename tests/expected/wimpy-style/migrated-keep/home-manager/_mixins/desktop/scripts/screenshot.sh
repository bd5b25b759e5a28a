#!/usr/bin/env bash
# Screenshot helper for Hyprland: full screen, or `region` to pick an area.
set -euo pipefail

dir="${SCREENSHOT_DIR:-$HOME/Pictures/Screenshots}"
mkdir -p "$dir"
file="$dir/$(date +%Y-%m-%d_%H-%M-%S).png"

if [[ "${1:-}" == "region" ]]; then
  grim -g "$(slurp)" "$file"
else
  grim "$file"
fi

wl-copy < "$file"
notify-send -i "$file" "Screenshot" "saved to $file"
