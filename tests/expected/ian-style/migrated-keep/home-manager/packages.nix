{ pkgs, unstable, ... }:

{
  home.packages = (with pkgs; [
    # cli
    ripgrep
    fd
    jq
    yq-go
    btop
    du-dust
    tldr
    unzip
    wl-clipboard

    # nix
    nix-output-monitor
    nvd
    nixfmt-rfc-style

    # apps
    obsidian        # unfree
    signal-desktop
    spotify         # unfree
    nautilus
    loupe
    libreoffice-fresh
  ]) ++ (with unstable; [
    zed-editor
    # uv   # lives in devshells now
  ]);
}
