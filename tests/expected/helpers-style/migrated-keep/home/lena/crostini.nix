# Crostini is Debian: Home Manager on its own, no NixOS.
{
  targets.genericLinux.enable = true;
  programs.bash.enable = true;
}
