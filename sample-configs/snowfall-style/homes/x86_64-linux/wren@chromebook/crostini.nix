{ pkgs, ... }:
{
  # Crostini's terminal wants this to find GUI apps
  xdg.systemDirs.data = [ "/usr/share" "/usr/local/share" ];
  home.sessionVariables.MOZ_ENABLE_WAYLAND = "1";
}
