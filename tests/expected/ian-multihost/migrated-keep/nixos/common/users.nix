{pkgs, ...}: {
  # bob is defined in ../cirrus/configuration.nix, he doesn't have an account on nimbus
  users.users.alice = {
    isNormalUser = true;
    description = "Alice Byrne";
    extraGroups = ["wheel" "networkmanager" "video" "audio"];
    shell = pkgs.fish;
    openssh.authorizedKeys.keyFiles = [../../keys/alice.pub];
  };

  programs.fish.enable = true;
  security.sudo.execWheelOnly = true;
}
