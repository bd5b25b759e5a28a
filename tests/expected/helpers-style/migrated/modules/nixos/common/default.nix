# Every machine.
{ inputs, pkgs, ... }:
{
  imports = [ ./users.nix ./nix.nix ];

  time.timeZone = "Europe/Vienna";
  environment.systemPackages = [
    pkgs.git
    # newer neovim than stable has
    inputs.nixpkgs-unstable.legacyPackages.${pkgs.system}.neovim
  ];
}
