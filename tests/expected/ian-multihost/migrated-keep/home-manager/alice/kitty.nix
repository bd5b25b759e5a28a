{
  programs.kitty = {
    enable = true;
    font = {
      name = "Fira Code";
      size = 11;
    };
    themeFile = "kanagawabones";
    shellIntegration.enableFishIntegration = true;
    settings = {
      scrollback_lines = 20000;
      enable_audio_bell = false;
      confirm_os_window_close = 0;
    };
    # keyboard mappings are long and I copy them between machines, so: plain file
    extraConfig = builtins.readFile ./kitty-extra.conf;
  };
}
