# nixpkgs' lib, extended with this flake's builders under `lib.my`.
{ inputs }:
inputs.nixpkgs-stable.lib.extend (
  final: prev: {
    my = import ./builders.nix {
      inherit inputs;
      lib = final;
    };
  }
)
