{ inputs, ... }:
final: prev: {
  # yazi from 24.11 is too old for the plugins I use
  # yazi = inputs.yazi.packages.${final.system}.default;

  # small wrapper so `rebuild` works the same on every box
  rebuild = final.writeShellScriptBin "rebuild" ''
    if [ -e /etc/NIXOS ]; then
      exec sudo nixos-rebuild switch --flake "$HOME/src/dots#$(hostname -s)" "$@"
    else
      exec home-manager switch --flake "$HOME/src/dots#$USER" "$@"
    fi
  '';
}
