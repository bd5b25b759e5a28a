# Shared by every machine.
{ inputs, pkgs, ... }:
{
  nix.settings = {
    experimental-features = [ "nix-command" "flakes" ];
    trusted-users = [ "@wheel" ];
  };
  # Pin the registry to the flake's nixpkgs: `nix shell nixpkgs#foo` matches the system.
  nix.registry.nixpkgs.flake = inputs.nixpkgs;

  nixpkgs.config.allowUnfree = true;

  time.timeZone = "Europe/Lisbon";
  i18n.defaultLocale = "en_GB.UTF-8";

  environment.systemPackages = with pkgs; [ git htop ];
}
