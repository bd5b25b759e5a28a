{ inputs, lib }:
{
  # A machine: its folder under systems/, the shared modules, and `inputs` for all.
  mkSystem =
    {
      name,
      system ? "x86_64-linux",
      extraModules ? [ ],
    }:
    lib.nixosSystem {
      inherit system;
      specialArgs = { inherit inputs; };
      modules = [
        ../common
        ../systems/${name}
        { networking.hostName = name; }
      ] ++ extraModules;
    };

  # "user@host" = [ modules ]  ->  homeConfigurations
  mkHomes =
    pkgs:
    lib.mapAttrs (
      _key: modules:
      inputs.home-manager-stable.lib.homeManagerConfiguration {
        inherit pkgs modules;
        extraSpecialArgs = { inherit inputs; };
      }
    );
}
