{ pkgs, ... }:
{
  users.mutableUsers = false;

  users.users.rhea = {
    isNormalUser = true;
    description = "Rhea Lindqvist";
    extraGroups = [ "wheel" "networkmanager" "dialout" ];
    shell = pkgs.zsh;
    # mkpasswd -m yescrypt
    hashedPassword = "$y$j9T$Zk3c0b1N0tReAlHaSh/$uQk0m5Ww1cKp1dXGf2YpQ8eC7k3rM9aL2sT6vB4nH1.";
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO9xq2v7e1dR4u8w3b5n7m9k1j3h5g7f9d1s3a5p7o9i rhea@nimbus"
    ];
  };

  # tomasz only uses the flake on his Arch laptop, no account here.

  programs.zsh.enable = true; # needed for users.users.rhea.shell
}
