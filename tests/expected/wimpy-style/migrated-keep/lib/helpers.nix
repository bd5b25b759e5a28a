{
  inputs,
  outputs,
  stateVersion,
  ...
}:
{
  # Helper function for generating home-manager configs
  mkHome =
    {
      hostname,
      username,
      desktop ? null,
      platform ? "x86_64-linux",
    }:
    inputs.home-manager.lib.homeManagerConfiguration {
      pkgs = inputs.nixpkgs.legacyPackages.${platform};
      extraSpecialArgs = {
        inherit
          inputs
          outputs
          desktop
          hostname
          platform
          username
          stateVersion
          ;
      };
      modules = [ ../home-manager ];
    };

  # Helper function for generating host configs
  mkHost =
    {
      hostname,
      username,
      desktop ? null,
      installer ? null,
    }:
    inputs.nixpkgs.lib.nixosSystem {
      specialArgs = {
        inherit
          inputs
          outputs
          desktop
          hostname
          username
          stateVersion
          ;
      };
      modules = [
        ../nixos
        inputs.agenix.nixosModules.default
      ] ++ inputs.nixpkgs.lib.optionals (installer != null) [ installer ]
        ++ (
          # Home Manager as a NixOS module (migrated by hm-migrate) on the hosts whose users had
          # standalone homeConfigurations
          if builtins.elem hostname [ "forge" "kestrel" "shard" ] then
            [
              inputs.home-manager.nixosModules.home-manager
              {
                home-manager = {
                  useGlobalPkgs = false;
                  useUserPackages = true;
                  backupFileExtension = "backup";
                  extraSpecialArgs = {
                    inherit
                      inputs
                      outputs
                      desktop
                      hostname
                      username
                      stateVersion
                      ;
                    platform = "x86_64-linux";
                  };
                  users.${username}.imports = [ ../home-manager ];
                };
              }
            ]
          else
            [ ]
        );
    };

  forAllSystems = inputs.nixpkgs.lib.genAttrs [
    "aarch64-linux"
    "x86_64-linux"
    "aarch64-darwin"
    # "x86_64-darwin"  # no intel macs left in the house
  ];
}
