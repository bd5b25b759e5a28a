# Only for tern (Fedora, standalone Home Manager): passed by flake.nix through
# mkHome's extraModules. On NixOS the system does all of this already.
{ pkgs, ... }:
{
  targets.genericLinux.enable = true;

  # Fedora's nix package is older than what the flake wants
  nix.package = pkgs.nix;
  nix.settings.experimental-features = [ "nix-command" "flakes" ];

  # Fedora's fish is the login shell and starts before anything puts the nix
  # profile on PATH, so the HM-installed tools would be missing in a new tab
  programs.fish.loginShellInit = ''
    fish_add_path --prepend ~/.nix-profile/bin
  '';
}
