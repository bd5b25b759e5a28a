{ ... }:
{
  # replaced by ghostty, left here in case ghostty breaks on an update
  programs.alacritty = {
    enable = true;
    settings = {
      window.padding = { x = 8; y = 6; };
      font.normal.family = "JetBrainsMono Nerd Font";
      font.size = 11;
      # colors: catppuccin mocha (pasted from their repo, not checked in here)
    };
  };
}
