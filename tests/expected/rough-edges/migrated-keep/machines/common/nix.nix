{ inputs, lib, ... }:
{
  nix = {
    settings = {
      experimental-features = [ "nix-command" "flakes" ];
      trusted-users = [ "root" "@wheel" ];
      # hard-links identical store files: heron's SSD is 120 GB and holds backups too
      auto-optimise-store = true;
    };
    # `nix shell nixpkgs#foo` should use the same nixpkgs as the system
    registry.nixpkgs.flake = inputs.nixpkgs;
    channel.enable = false;
    gc = {
      automatic = true;
      dates = "weekly";
      options = "--delete-older-than 21d";
    };
  };

  nixpkgs.config.allowUnfree = lib.mkDefault true;
}
