{ writeShellApplication, grim, slurp, tesseract, wl-clipboard }:

writeShellApplication {
  name = "wl-ocr";
  runtimeInputs = [ grim slurp tesseract wl-clipboard ];
  text = builtins.readFile ./wl-ocr.sh;
}
