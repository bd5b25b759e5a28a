{
  inputs,
  outputs,
  lib,
  config,
  ...
}: {
  nixpkgs = {
    # same overlays as home-manager/common/nixpkgs.nix -- keep them in sync!
    overlays = [
      outputs.overlays.additions
      outputs.overlays.modifications
      outputs.overlays.unstable-packages
    ];
    config = {
      allowUnfree = true;
    };
  };

  nix = let
    flakeInputs = lib.filterAttrs (_: lib.isType "flake") inputs;
  in {
    settings = {
      experimental-features = "nix-command flakes";
      # no global registry, only our pinned inputs
      flake-registry = "";
      nix-path = config.nix.nixPath;
      auto-optimise-store = true;
      trusted-users = ["root" "@wheel"];
    };
    channel.enable = false;

    registry = lib.mapAttrs (_: flake: {inherit flake;}) flakeInputs;
    nixPath = lib.mapAttrsToList (n: _: "${n}=flake:${n}") flakeInputs;

    gc = {
      automatic = true;
      dates = "weekly";
      options = "--delete-older-than 21d";
    };
  };
}
