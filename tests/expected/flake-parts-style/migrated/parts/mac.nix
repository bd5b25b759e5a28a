{ inputs, ... }:
{
  # darwin-rebuild switch --flake .#mbp
  flake.darwinConfigurations.mbp = inputs.nix-darwin.lib.darwinSystem {
    system = "aarch64-darwin";
    modules = [
      {
        nix.settings.experimental-features = [ "nix-command" "flakes" ];
        system.stateVersion = 5;
      }
    ];
  };
}
