# Every host starts here; lib/default.nix passes hostname, role, username and
# desktop. A host's own folder is machines/<role>/<hostname>, so the servers
# don't sit between the laptops when I ls.
{
  desktop,
  hostname,
  lib,
  role,
  stateVersion,
  username,
  ...
}:
{
  imports =
    [
      ../hosts/${role}/${hostname}
      ../modules/nixos/common/nix.nix
      ../modules/nixos/common/locale.nix
      ../modules/nixos/common/openssh.nix
    ]
    # heron has no login user at all (see flake.nix)
    ++ lib.optional (username != null) ../modules/nixos/common/users.nix
    ++ lib.optional (desktop != null) ../modules/nixos/desktops;

  networking.hostName = hostname;

  # mkDefault so a host installed on an older release can pin its own
  system.stateVersion = lib.mkDefault stateVersion;
}
