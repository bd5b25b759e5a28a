# snowfall passes { channels, inputs, ... } to overlays/<name>/default.nix
{ channels, ... }:
final: prev: {
  inherit (channels.nixpkgs-unstable) inter;
}
