# lifeboat: the rescue stick. snowfall builds it with nixos-generators
# (format install-iso), so it shows up as install-isoConfigurations.lifeboat.
{ pkgs, lib, namespace, ... }:
{
  ${namespace}.ssh.enable = true;

  environment.systemPackages = with pkgs; [ gparted testdisk ddrescue ];

  # no wren here, just root with my key
  users.users.root.openssh.authorizedKeys.keyFiles = [ ../../../modules/nixos/users/wren.pub ];
}
