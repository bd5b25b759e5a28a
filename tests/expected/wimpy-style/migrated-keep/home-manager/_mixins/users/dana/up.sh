#!/bin/sh
# update the flake inputs and show what changed
set -e
cd "${FLAKE:-$HOME/src/nix-config}"
nix flake update --commit-lock-file
git --no-pager log -1 --stat
