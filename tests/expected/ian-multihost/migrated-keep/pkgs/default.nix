# Custom packages, that can be defined similarly to ones from nixpkgs
# You can build them using 'nix build .#wake-nimbus'
pkgs: {
  wake-nimbus = pkgs.callPackage ./wake-nimbus {};
  tally = pkgs.callPackage ./tally {};
}
