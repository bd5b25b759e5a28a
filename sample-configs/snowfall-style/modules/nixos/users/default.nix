# The one human account. snowfall-lib also creates users.users.<name> for each
# home wired into a system; this keeps the details (groups, key, shell) in one place.
{ config, lib, pkgs, namespace, ... }:
let
  cfg = config.${namespace}.users;
in
{
  options.${namespace}.users.wren.extraGroups = lib.mkOption {
    type = lib.types.listOf lib.types.str;
    default = [ ];
  };

  config = {
    programs.zsh.enable = true;
    users.users.wren = {
      isNormalUser = true;
      shell = pkgs.zsh;
      extraGroups = [ "wheel" "networkmanager" ] ++ cfg.wren.extraGroups;
      openssh.authorizedKeys.keyFiles = [ ./wren.pub ];
    };
  };
}
