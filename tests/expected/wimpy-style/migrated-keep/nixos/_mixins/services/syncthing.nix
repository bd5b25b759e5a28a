# Not imported anywhere at the moment: Syncthing moved to home-manager
# (services.syncthing there), kept for when pebble gets it back.
{ username, ... }:
{
  services.syncthing = {
    enable = true;
    user = username;
    dataDir = "/home/${username}";
    openDefaultPorts = true;
    settings.gui.theme = "black";
  };
}
