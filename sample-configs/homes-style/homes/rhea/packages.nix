{ pkgs, ... }:
{
  home.packages = with pkgs; [
    age
    sops
    hyperfine
    yt-dlp
    zk
    # ollama   # atlas only, see homes/rhea@atlas
  ];

  # zk wants its config in ~/.config/zk, the notebook itself is in ~/notes
  xdg.configFile."zk/config.toml".source = ./zk-config.toml;
}
