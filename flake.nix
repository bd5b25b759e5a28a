{
  description = "Move a NixOS dotfiles repository from standalone Home Manager to Home Manager as a NixOS module";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      # The systems pynix-parser publishes wheels for (nix/pynix-parser-wheels.json).
      systems = [
        "x86_64-linux"
        "aarch64-darwin"
      ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f system nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (
        system: pkgs: {
          default = pkgs.callPackage ./nix/package.nix { };
        }
      );

      apps = forAllSystems (
        system: pkgs: {
          default = {
            type = "app";
            program = nixpkgs.lib.getExe self.packages.${system}.default;
            meta.description = "migrate REPO [--dry-run] [--out DIR] [--json]";
          };
        }
      );

      devShells = forAllSystems (
        system: pkgs: {
          default = pkgs.mkShell {
            # The package's Python dependencies, on PYTHONPATH.
            inputsFrom = [ self.packages.${system}.default ];
            packages = [
              pkgs.python3Packages.pytest
              pkgs.python3Packages.hypothesis
              pkgs.git
              # nix-instantiate: the tests check generated Nix with it
              pkgs.nix
            ];
          };
        }
      );

      formatter = forAllSystems (system: pkgs: pkgs.nixfmt);
    };
}
