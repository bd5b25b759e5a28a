# only nimbus has a GPU worth gaming on
{pkgs, ...}: {
  programs.steam = {
    enable = true;
    remotePlay.openFirewall = true;
    gamescopeSession.enable = true;
  };
  programs.gamemode.enable = true;
  hardware.steam-hardware.enable = true;
  environment.systemPackages = [pkgs.protonup-qt];
}
