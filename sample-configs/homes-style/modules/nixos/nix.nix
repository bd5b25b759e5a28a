{ inputs, self, ... }:
{
  nix = {
    settings = {
      experimental-features = [ "nix-command" "flakes" ];
      trusted-users = [ "@wheel" ];
      substituters = [ "https://nix-community.cachix.org" ];
      trusted-public-keys = [ "nix-community.cachix.org-1:mB9FSh9qf2dCimDSUo8Zy7bkq5CX+/rkCWyvRCYg3Fs=" ];
    };
    registry.nixpkgs.flake = inputs.nixpkgs;
    channel.enable = false;
    gc = { automatic = true; dates = "weekly"; options = "--delete-older-than 10d"; };
  };

  nixpkgs.overlays = [ self.overlays.default ];
  nixpkgs.config.allowUnfree = true;

  system.configurationRevision = self.rev or "dirty";
}
