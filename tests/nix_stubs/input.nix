# One flake input (or channel) of the repository under test, as a stub.
#
# Nix has no "method missing", so the modules an input exports are the ones
# the repository's text names (`NAME.nixosModules.X`, found by
# tests/flake_eval.py): each is a marker the walker records as external and
# never evaluates. Names the text does not mention are missing, loudly.
{
  name,
  # "nixpkgs", "home-manager", "snowfall-lib", "flake-parts", "flake-utils", "import-tree" or "other": which real project it stands for
  kind,
  # a directory outside the repository; `input + "/sub/path"` lands under it
  dir,
  # { nixosModules = [ "default" ... ]; homeManagerModules = [ ... ]; ... }
  modules ? { },
  # [ "default" ... ]: the `NAME.overlays.X` the text names
  overlays ? [ ],
}:
let
  marker = label: extra: { _hmMigrateStub = label; } // extra;

  mentioned = builtins.mapAttrs (
    moduleKind: names:
    builtins.listToAttrs (
      map (x: {
        name = x;
        value = marker "${name}.${moduleKind}.${x}" { };
      }) names
    )
  ) modules;

  # Each overlay adds one attribute named after it, so that what a package set's
  # overlays add (tests/nix_stubs/evaluate.nix, overlayNames) tells them apart.
  overlaySet = builtins.listToAttrs (
    map (x: {
      name = x;
      value = _final: _prev: { "${name}.overlays.${x}" = marker "${name}.overlays.${x}" { }; };
    }) overlays
  );

  common = mentioned // (if overlays == [ ] then { } else { overlays = overlaySet; }) // {
    _type = "flake";
    outPath = dir;
    rev = "0000000000000000000000000000000000000000";
    shortRev = "0000000";
    lastModified = 0;
    lastModifiedDate = "19700101000000";
    narHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };

  nixpkgs =
    let
      lib = import ./lib.nix {
        nixpkgsPath = dir;
        inherit pkgsFn;
      };
      pkgsFn = import ./pkgs.nix {
        inherit lib;
        nixpkgsPath = dir;
      };
    in
    common
    // {
      inherit lib;
      _pkgsFn = pkgsFn;
      legacyPackages = lib.genAttrs lib.systems.flakeExposed (system: pkgsFn { inherit system; });
    };

  homeManager =
    let
      # the walker recognises this flag, not a name: `hm.nixosModules.default` counts too
      nixosModule = label: marker label {
        hmNixosModule = true;
        hmModulesPath = dir + "/modules";
      };
    in
    common
    // {
      lib.homeManagerConfiguration =
        args:
        {
          _hmMigrateHome = true;
          inherit (args) pkgs;
          modules = args.modules or [ ];
          extraSpecialArgs = args.extraSpecialArgs or { };
          lib = args.lib or args.pkgs.lib;
          modulesPath = dir + "/modules";
          activationPackage = throw "tests/nix_stubs: homeManagerConfiguration stub builds nothing";
          config = throw "tests/nix_stubs: homeManagerConfiguration stub has no config";
        };
      nixosModules = (mentioned.nixosModules or { }) // {
        home-manager = nixosModule "${name}.nixosModules.home-manager";
        default = nixosModule "${name}.nixosModules.default";
      };
      darwinModules = (mentioned.darwinModules or { }) // {
        home-manager = marker "${name}.darwinModules.home-manager" { };
        default = marker "${name}.darwinModules.default" { };
      };
    };
in
if kind == "nixpkgs" then
  nixpkgs
else if kind == "home-manager" then
  homeManager
else if kind == "snowfall-lib" then
  common // import ./snowfall.nix { }
else if kind == "flake-parts" then
  common // import ./flake-parts.nix { inherit name; }
else if kind == "flake-utils" then
  common // import ./flake-utils.nix { inherit name; }
else if kind == "import-tree" then
  common // import ./import-tree.nix { inherit name; }
else
  common
