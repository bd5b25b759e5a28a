# disko layout. Reinstall with:
#   sudo nix run github:nix-community/disko -- --mode disko ./nixos/pebble/disks.nix
{ ... }:
{
  disko.devices = {
    disk.main = {
      type = "disk";
      device = "/dev/sda";
      content = {
        type = "gpt";
        partitions = {
          boot = { size = "1M"; type = "EF02"; };
          root = {
            size = "100%";
            content = {
              type = "filesystem";
              format = "ext4";
              mountpoint = "/";
            };
          };
        };
      };
    };
    disk.media = {
      type = "disk";
      device = "/dev/sdb";
      content = {
        type = "gpt";
        partitions.data = {
          size = "100%";
          content = { type = "filesystem"; format = "xfs"; mountpoint = "/srv/media"; };
        };
      };
    };
  };
}
