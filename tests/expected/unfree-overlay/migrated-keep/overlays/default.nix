# My overlay: my own packages from pkgs/ and a fix or two.
# Only the homes use it (flake.nix); the machines don't need any of this.
final: prev: {
  wl-ocr = final.callPackage ../pkgs/wl-ocr { };

  # visualizer off by default, and I want it
  ncmpcpp = prev.ncmpcpp.override { visualizerSupport = true; };
}
