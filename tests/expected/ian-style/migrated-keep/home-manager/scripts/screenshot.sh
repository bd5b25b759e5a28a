#!/usr/bin/env bash
# region screenshot -> ~/pictures/screenshots + clipboard
set -euo pipefail
dir="$HOME/pictures/screenshots"
mkdir -p "$dir"
file="$dir/$(date +%Y-%m-%d_%H-%M-%S).png"
grim -g "$(slurp)" "$file"
wl-copy < "$file"
