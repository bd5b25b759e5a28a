# Only for standalone `home-manager switch --flake .#rhea`, i.e. the work
# laptop (Ubuntu 24.04). NixOS machines get rhea@<host> instead.
{ lib, pkgs, ... }:
{
  targets.genericLinux.enable = true;

  # no system-wide nix config to lean on here
  nix = {
    package = pkgs.nix;
    settings.experimental-features = [ "nix-command" "flakes" ];
  };

  programs.home-manager.enable = true;

  # the work laptop already ships git's own credential helper
  programs.git.extraConfig.credential.helper = lib.mkDefault "libsecret";
  programs.git.userEmail = lib.mkForce "rhea.lindqvist@employer.example";
}
