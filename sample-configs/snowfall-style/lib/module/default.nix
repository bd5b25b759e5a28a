# lib.cozy.enabled / lib.cozy.disabled / lib.cozy.mkOpt
{ lib, ... }:
{
  enabled = { enable = true; };
  disabled = { enable = false; };

  mkOpt =
    type: default: description:
    lib.mkOption { inherit type default description; };
}
