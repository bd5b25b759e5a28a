{ ... }:
{
  nix.settings = {
    auto-optimise-store = true;
    trusted-users = [ "root" "@wheel" ];
  };
  nix.gc = {
    automatic = true;
    dates = "weekly";
    options = "--delete-older-than 21d";
  };
  nixpkgs.config.allowUnfree = true;
}
