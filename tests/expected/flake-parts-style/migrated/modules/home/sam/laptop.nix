{
  # the laptop screen is small: bigger font, and tell me about the battery
  programs.kitty.settings.font_size = 13;
  services.poweralertd.enable = true;
}
