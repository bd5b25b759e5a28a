{ pkgs, ... }:
{
  users.users.noor = {
    isNormalUser = true;
    description = "Noor Haddad";
    extraGroups = [ "wheel" "networkmanager" "video" ];
    shell = pkgs.fish;
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMx7r2Qb0Tz9kV4cL1nP8wS3yF6aH5jD0eG2uK7mB4tR noor@pebble"
    ];
  };
  programs.fish.enable = true;
}
