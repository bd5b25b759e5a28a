# nheko for matrix. It still links libolm, which nixpkgs marks insecure
# (unmaintained), so it has to be allowed by name.
{ pkgs, ... }:
{
  nixpkgs.config = {
    permittedInsecurePackages = [ "olm-3.2.16" ];
    # Setting anything under nixpkgs.config here throws away the config of the
    # pkgs in flake.nix (home-manager only takes it as a default), so discord
    # broke until allowUnfree went in here too. JoyPixels isn't needed for me.
    allowUnfree = true;
  };

  home.packages = [ pkgs.nheko ];
}
