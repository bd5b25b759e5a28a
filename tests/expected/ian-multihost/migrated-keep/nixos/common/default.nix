# Everything both machines share. Host-specific stuff is in ../<host>/.
{lib, ...}: {
  imports =
    [
      ./nix.nix
      ./locale.nix
      ./openssh.nix
      ./users.nix
      ./desktop.nix
      ./pipewire.nix
      ./tailscale.nix
      # ./syncthing.nix  -- syncthing runs per user now (home-manager/alice/*.nix)
    ]
    # optional so a fork without my wireguard setup still evaluates
    ++ lib.optional (builtins.pathExists ./wireguard.nix) ./wireguard.nix;
}
