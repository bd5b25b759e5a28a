# The package set every system uses: unfree allowed (steam on orca, the
# nvidia blob), the same settings the machines set for themselves.
{ inputs, ... }:
{
  perSystem =
    { system, ... }:
    {
      _module.args.pkgs = import inputs.nixpkgs {
        inherit system;
        config.allowUnfree = true;
      };
    };
}
