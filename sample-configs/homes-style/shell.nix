{ pkgs }:
pkgs.mkShellNoCC {
  packages = with pkgs; [ nixfmt-rfc-style nil statix deadnix home-manager ];
}
