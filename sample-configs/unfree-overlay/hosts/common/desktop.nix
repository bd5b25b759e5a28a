{ pkgs, ... }:
{
  services.xserver.enable = true;
  services.displayManager.sddm.enable = true;
  services.desktopManager.plasma6.enable = true;
  services.xserver.xkb.layout = "de";

  services.pipewire = {
    enable = true;
    pulse.enable = true;
  };

  # fonts for everyone; the emoji font is per user (JoyPixels, see flake.nix)
  fonts.packages = with pkgs; [ noto-fonts inter ];

  environment.systemPackages = with pkgs; [ firefox vlc git ];
}
