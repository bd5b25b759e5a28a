# Custom packages, that can be defined similarly to ones from nixpkgs
# You can build them using 'nix build .#example'
pkgs: {
  wallpaper-cycle = pkgs.callPackage ./wallpaper-cycle { };
}
