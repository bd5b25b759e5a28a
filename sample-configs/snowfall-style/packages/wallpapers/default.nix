{ lib, stdenvNoCC, ... }:
stdenvNoCC.mkDerivation {
  pname = "cozy-wallpapers";
  version = "1";
  src = ./.;
  installPhase = ''
    mkdir -p $out/share/wallpapers
    cp ${./forest.jpg} $out/share/wallpapers/forest.jpg
  '';
  meta.license = lib.licenses.cc-by-40;
}
