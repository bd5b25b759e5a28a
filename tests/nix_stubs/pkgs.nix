# `import nixpkgs { ... }` / `nixpkgs.legacyPackages.${system}` of the stub.
#
# Modules only see a handful of attributes while their `imports` are being
# decided (the platform, `lib`); packages are never built, so any other
# attribute is missing and fails loudly if an imports list needs it.
{ lib, nixpkgsPath }:
args:
let
  localSystem = args.localSystem or null;
  system =
    if args ? system then
      args.system
    else if localSystem != null then
      localSystem.system or localSystem
    else
      builtins.currentSystem;
  platform = {
    inherit system;
    isLinux = lib.hasSuffix "-linux" system;
    isDarwin = lib.hasSuffix "-darwin" system;
    isx86_64 = lib.hasPrefix "x86_64-" system;
    isAarch64 = lib.hasPrefix "aarch64-" system;
  };
  self = {
    _hmMigratePkgs = true;
    inherit lib system;
    config = args.config or { };
    overlays = args.overlays or [ ];
    path = nixpkgsPath;
    hostPlatform = platform;
    buildPlatform = platform;
    targetPlatform = platform;
    stdenv = {
      hostPlatform = platform;
      buildPlatform = platform;
      targetPlatform = platform;
      inherit (platform) isLinux isDarwin;
    };
    # a package is a value the module system never looks into; keep the call inert
    callPackage = fn: callArgs: { _hmMigrateCallPackage = true; inherit fn callArgs; };
    extend = _overlay: self;
    appendOverlays = _overlays: self;
    pkgs = self;
  };
in
self
