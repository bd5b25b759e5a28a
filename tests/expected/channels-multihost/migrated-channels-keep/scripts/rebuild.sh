#!/usr/bin/env bash
# Rebuild one machine: system first, then my Home Manager profile.
set -euo pipefail
host="${1:?usage: rebuild.sh HOST}"
cd "$(dirname "$0")/.."
sudo nixos-rebuild switch -I "nixos-config=hosts/$host/configuration.nix"
if [ -f "hosts/$host/home.nix" ]; then
  home-manager switch -f "hosts/$host/home.nix" -b bak
fi
