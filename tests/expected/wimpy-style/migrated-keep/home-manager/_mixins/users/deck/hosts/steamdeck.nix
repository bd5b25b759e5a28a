{ lib, ... }:
{
  # Not NixOS: let HM set up XDG_DATA_DIRS etc. for a foreign distro
  targets.genericLinux.enable = true;

  # fish isn't the login shell on SteamOS (chsh gets undone by updates),
  # so start it from bash
  programs.bash = {
    enable = true;
    initExtra = ''
      if [[ $(ps --no-header --pid=$PPID --format=comm) != "fish" && -z ''${BASH_EXECUTION_STRING} ]]; then
        exec fish
      fi
    '';
  };

  # the Deck can't build much; don't let a gc make me rebuild everything
  nix.settings.keep-outputs = lib.mkForce false;
}
