# home-manager switch --flake .#sam@orca
{
  inputs,
  self,
  withSystem,
  ...
}:
let
  mkHome =
    system: modules:
    withSystem system (
      { pkgs, ... }:
      inputs.home-manager.lib.homeManagerConfiguration {
        inherit pkgs modules;
        extraSpecialArgs = { inherit inputs; };
      }
    );
in
{
  flake.homeConfigurations = {
    # sam@orca: Home Manager now runs as a NixOS module on orca (see mkHost)

    # the laptop: same desktop, plus battery niceties
    # sam@kestrel: Home Manager now runs as a NixOS module on kestrel (see mkHost)

    # admin@ferry: Home Manager now runs as a NixOS module on ferry (see mkHost)

    # Work MacBook: nix-darwin for the system (see mac.nix), Home Manager on its own.
    "sam@mbp" = mkHome "aarch64-darwin" [
      self.homeModules.sam
      ../users/sam/darwin.nix
    ];
  };
}
