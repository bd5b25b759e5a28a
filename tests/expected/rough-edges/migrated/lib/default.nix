# mkHost / mkHome so flake.nix stays a list of machines. The shape is Wimpy's
# (one call per machine, everything else decided by the arguments), cut down to
# what three machines need.
{ inputs, outputs, stateVersion }:
let
  inherit (inputs) nixpkgs home-manager;
in
{
  mkHost =
    {
      hostname,
      role, # "workstation" or "server": the folder under machines/
      username ? null,
      desktop ? null,
    }:
    nixpkgs.lib.nixosSystem {
      # no `system` here: each hardware-configuration.nix sets hostPlatform,
      # heron is a Pi and I got bitten by a hard-coded x86_64 once
      specialArgs = {
        inherit inputs outputs stateVersion;
        inherit hostname role username desktop;
      };
      modules = [
        ../machines
        outputs.nixosModules.default
      ]
        ++ (
          # Home Manager as a NixOS module (migrated by hm-migrate) on the hosts whose users had
          # standalone homeConfigurations
          if builtins.elem hostname [ "lark" "wren" ] then
            [
              home-manager.nixosModules.home-manager
              {
                home-manager = {
                  useGlobalPkgs = true;
                  useUserPackages = true;
                  backupFileExtension = "bak";
                  extraSpecialArgs = {
                    inherit inputs outputs stateVersion;
                    inherit hostname username desktop;
                  };
                  users.${username}.imports = [ ../modules/home ];
                };
              }
            ]
          else
            [ ]
        );
    };

  mkHome =
    {
      hostname,
      username,
      desktop ? null,
      system ? "x86_64-linux",
      extraModules ? [ ],
    }:
    home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.${system};
      extraSpecialArgs = {
        inherit inputs outputs stateVersion;
        inherit hostname username desktop;
      };
      modules = [ ../modules/home ] ++ extraModules;
    };

  forAllSystems = nixpkgs.lib.genAttrs [
    "x86_64-linux"
    "aarch64-linux" # heron
  ];
}
