# OLD: system-wide syncthing running as alice. Replaced by
# services.syncthing in home-manager (alice/nimbus.nix, alice/cirrus.nix).
{
  services.syncthing = {
    enable = true;
    user = "alice";
    dataDir = "/home/alice/sync";
    configDir = "/home/alice/.config/syncthing";
    openDefaultPorts = true;
  };
}
