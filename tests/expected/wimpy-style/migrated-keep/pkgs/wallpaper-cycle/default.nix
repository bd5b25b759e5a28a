{
  lib,
  writeShellApplication,
  hyprland,
  findutils,
  coreutils,
}:
writeShellApplication {
  name = "wallpaper-cycle";
  runtimeInputs = [
    hyprland
    findutils
    coreutils
  ];
  text = ''
    dir="''${1:-$HOME/Pictures/Wallpapers}"
    pick="$(find "$dir" -type f \( -name '*.png' -o -name '*.jpg' \) | shuf -n 1)"
    hyprctl hyprpaper preload "$pick"
    hyprctl hyprpaper wallpaper ",$pick"
  '';
  meta = {
    description = "Pick a random wallpaper for hyprpaper";
    license = lib.licenses.mit;
    platforms = lib.platforms.linux;
  };
}
