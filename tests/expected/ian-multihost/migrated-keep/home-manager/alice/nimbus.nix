{pkgs, ...}: {
  home.file.".local/share/wallpapers/current.png".source = ../../assets/wallpapers/nimbus.png;

  programs.obs-studio = {
    enable = true;
    plugins = with pkgs.obs-studio-plugins; [obs-vaapi obs-pipewire-audio-capture];
  };
  programs.mangohud.enable = true;

  home.packages = with pkgs; [darktable unstable.blender-hip];
}
