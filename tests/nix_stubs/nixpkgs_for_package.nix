# Stand-in for the nixpkgs flake input of hm-migrate's own flake.nix, written from
# scratch for tests/test_flake_package.py.
#
# It has only the functions and packages the flake and nix/*.nix call. A derivation
# is its arguments plus `type` and `outPath`, so the test can read back what each
# builder was given. `callPackage` passes a function exactly the arguments it names,
# as nixpkgs' does: an argument nixpkgs would not have fails with "called without
# required argument", and anything missing here with "attribute '...' missing".
{ pythonVersion }:
let
  inherit (builtins)
    attrNames
    baseNameOf
    concatStringsSep
    fromJSON
    fromTOML
    functionArgs
    intersectAttrs
    isFunction
    listToAttrs
    map
    readFile
    replaceStrings
    ;

  lib = {
    inherit attrNames concatStringsSep replaceStrings;
    genAttrs =
      names: f:
      listToAttrs (
        map (name: {
          inherit name;
          value = f name;
        }) names
      );
    optionals = condition: list: if condition then list else [ ];
    importJSON = path: fromJSON (readFile path);
    importTOML = path: fromTOML (readFile path);
    makeBinPath = packages: concatStringsSep ":" (map (p: "${p}/bin") packages);
    getExe = package: "${package}/bin/${package.meta.mainProgram}";
    # The source is the list of paths it was made of.
    fileset = {
      unions = paths: paths;
      toSource =
        { root, fileset }:
        {
          # toString: a path value would be copied to the store
          root = toString root;
          files = map toString fileset;
        };
    };
    licenses.mit = "MIT";
    sourceTypes.binaryNativeCode = "binaryNativeCode";
  };

  derivation =
    kind: args:
    args
    // {
      type = "derivation";
      builder = kind;
      outPath = "/nix/store/00000000000000000000000000000000-${args.pname or args.name}";
    };
  package = name: derivation "package" { pname = name; };

  callPackageWith =
    scope: fn: overrides:
    let
      f = if isFunction fn then fn else import fn;
    in
    f (intersectAttrs (functionArgs f) scope // overrides);

  pkgsFor =
    system:
    let
      isLinux = system == "x86_64-linux" || system == "aarch64-linux";
      python3 = {
        inherit pythonVersion;
        pname = "python3";
      };
      python3Packages = {
        python = python3;
        callPackage = callPackageWith (pkgs // python3Packages);
        buildPythonPackage = derivation "buildPythonPackage";
        buildPythonApplication = derivation "buildPythonApplication";
        setuptools = package "setuptools";
        rich = package "rich";
        click = package "click";
        gitpython = package "gitpython";
        pytest = package "pytest";
        hypothesis = package "hypothesis";
      };
      pkgs = {
        inherit lib python3 python3Packages;
        callPackage = callPackageWith pkgs;
        stdenv = {
          hostPlatform = {
            inherit system isLinux;
            isDarwin = !isLinux;
          };
          cc.cc.lib = package "gcc-lib";
        };
        fetchurl = args: derivation "fetchurl" (args // { name = baseNameOf args.url; });
        autoPatchelfHook = package "auto-patchelf-hook";
        mkShell = args: derivation "mkShell" (args // { name = "shell"; });
        git = package "git";
        nix = package "nix";
        nixfmt = package "nixfmt";
      };
    in
    pkgs;
in
{
  inherit lib;
  legacyPackages = lib.genAttrs [
    "x86_64-linux"
    "aarch64-linux"
    "x86_64-darwin"
    "aarch64-darwin"
  ] pkgsFor;
}
