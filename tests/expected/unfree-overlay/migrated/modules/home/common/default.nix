# Everyone's home on every machine.
{ inputs, pkgs, ... }:
{
  imports = [
    ./shell.nix
  ];

  programs.home-manager.enable = true;

  # `nix shell nixpkgs#foo` gets the same nixpkgs as the flake
  nix.registry.nixpkgs.flake = inputs.nixpkgs;

  home.packages = with pkgs; [
    ripgrep
    fd
    htop
  ];
}
