{ config, lib, namespace, ... }:
{
  options.${namespace}.dock.apps = lib.mkOption {
    type = lib.types.listOf lib.types.str;
    default = [ ];
  };
  config.system.defaults.dock.persistent-apps = config.${namespace}.dock.apps;
}
