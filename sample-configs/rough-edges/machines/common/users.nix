{ pkgs, username, ... }:
{
  users.users.${username} = {
    isNormalUser = true;
    extraGroups = [ "wheel" "networkmanager" "video" "dialout" ];
    shell = pkgs.fish;
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq6Wb0Z3pZ8lJ3sCk1mJ0ZyS0k2g2mQm8n6x1u7sYtB ana@lark"
    ];
  };

  # the login shell has to exist system-wide, Home Manager only configures it
  programs.fish.enable = true;

  security.sudo.wheelNeedsPassword = false;
}
