# pynix-parser (Python bindings of the rnix parser) from its PyPI wheels.
#
# Built from the wheels rather than the sdist: building the sdist needs its Rust
# crates, pinned by a cargo hash that cannot be computed without fetching them.
# One wheel per system and CPython version, pinned by hash in
# pynix-parser-wheels.json; `python nix/check_wheels.py` checks the pins against
# what pip fetches.
{
  lib,
  stdenv,
  buildPythonPackage,
  fetchurl,
  python,
  autoPatchelfHook,
}:

let
  pins = lib.importJSON ./pynix-parser-wheels.json;
  system = stdenv.hostPlatform.system;
  tag = "cp" + lib.replaceStrings [ "." ] [ "" ] python.pythonVersion;
  wheels =
    pins.systems.${system}.wheels
      or (throw "pynix-parser: no wheel is pinned for ${system}; hm-migrate's flake covers ${lib.concatStringsSep " and " (lib.attrNames pins.systems)}");
  wheel =
    wheels.${tag}
      or (throw "pynix-parser: no wheel is pinned for CPython ${python.pythonVersion} on ${system}; pinned: ${lib.concatStringsSep ", " (lib.attrNames wheels)}");
in
buildPythonPackage {
  pname = "pynix-parser";
  inherit (pins) version;
  format = "wheel";

  src = fetchurl { inherit (wheel) url hash; };

  # The Linux wheel's extension module links libgcc_s from the system; autoPatchelfHook
  # points it at nixpkgs' copy. The macOS wheel needs nothing.
  nativeBuildInputs = lib.optionals stdenv.hostPlatform.isLinux [ autoPatchelfHook ];
  buildInputs = lib.optionals stdenv.hostPlatform.isLinux [ stdenv.cc.cc.lib ];

  pythonImportsCheck = [ "pynix_parser" ];

  meta = {
    description = "Python bindings for the rnix Nix parser";
    homepage = "https://pypi.org/project/pynix-parser/";
    platforms = lib.attrNames pins.systems;
    sourceProvenance = [ lib.sourceTypes.binaryNativeCode ];
  };
}
