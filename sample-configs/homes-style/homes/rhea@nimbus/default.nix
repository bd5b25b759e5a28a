{ ... }:
{
  rhea.desktop.enable = true;

  # laptop: keep the battery happy
  services.syncthing.enable = true;
  programs.foot.settings.main.font = "Iosevka Term:size=10";
}
