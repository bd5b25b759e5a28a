# Stand-in for flake-utils, written from scratch for tests/flake_eval.py: the
# eachSystem family, which turns `system: { packages = ...; }` into
# `{ packages.<system> = ...; }` for every system.
{ name }:
let
  defaultSystems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
  eachSystem =
    systems: f:
    builtins.foldl' (
      acc: system:
      acc // builtins.mapAttrs (_attr: value: (acc.${_attr} or { }) // { ${system} = value; }) (f system)
    ) { } systems;
  eachSystemPassThrough = systems: f: builtins.foldl' (acc: system: acc // f system) { } systems;
in
{
  lib = {
    inherit defaultSystems eachSystem eachSystemPassThrough;
    eachDefaultSystem = eachSystem defaultSystems;
    eachDefaultSystemPassThrough = eachSystemPassThrough defaultSystems;
  };
}
