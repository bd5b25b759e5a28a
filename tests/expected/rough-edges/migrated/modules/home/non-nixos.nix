# Only for tern (Fedora, standalone Home Manager): passed by flake.nix through
# mkHome's extraModules. On NixOS the system does all of this already.
{ pkgs, ... }:
{
  targets.genericLinux.enable = true;

  # Fedora's nix package is older than what the flake wants
  nix.package = pkgs.nix;
  nix.settings.experimental-features = [ "nix-command" "flakes" ];

  # fish is from Fedora, not nix; don't let HM try to be the login shell
  programs.fish.loginShellInit = ''
    fish_add_path --prepend ~/.nix-profile/bin
  '';
}
