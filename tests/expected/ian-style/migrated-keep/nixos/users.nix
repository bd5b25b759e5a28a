{ pkgs, vars, ... }:

{
  programs.fish.enable = true;   # needed system-wide for it to be a login shell

  users.users.${vars.username} = {
    isNormalUser = true;
    description  = vars.fullName;
    extraGroups  = [ "wheel" "networkmanager" "video" "input" ];
    shell        = pkgs.fish;
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq2kV7f0xR1oWbB0mQ3t8m6c0h8o1yK2m9JbX4s7pZe tomas@kestrel"
    ];
  };

  security.sudo.wheelNeedsPassword = true;
}
