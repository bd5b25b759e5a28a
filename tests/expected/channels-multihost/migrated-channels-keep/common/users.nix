{ pkgs, ... }:
{
  users.users.mira = {
    isNormalUser = true;
    description = "Mira";
    extraGroups = [ "wheel" "networkmanager" "video" ];
    shell = pkgs.zsh;
    openssh.authorizedKeys.keyFiles = [ ./keys/mira.pub ];
  };
  programs.zsh.enable = true;
}
