{ config, lib, pkgs, namespace, ... }:
lib.mkIf config.${namespace}.desktop.enable {
  fonts.packages = with pkgs; [ inter jetbrains-mono noto-fonts-emoji ];
  fonts.fontconfig.defaultFonts.monospace = [ "JetBrains Mono" ];
}
