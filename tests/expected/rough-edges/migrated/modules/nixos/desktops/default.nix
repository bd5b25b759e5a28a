# Anything with a screen. The desktop itself comes from <desktop>.nix, picked
# by the `desktop` argument in flake.nix.
{ desktop, pkgs, ... }:
{
  imports = [ (./. + "/${desktop}.nix") ];

  services.pipewire = {
    enable = true;
    alsa.enable = true;
    pulse.enable = true;
  };
  security.rtkit.enable = true;

  networking.networkmanager.enable = true;
  hardware.bluetooth.enable = true;

  fonts.packages = with pkgs; [
    inter
    noto-fonts
    noto-fonts-emoji
    (nerdfonts.override { fonts = [ "JetBrainsMono" ]; })
  ];

  services.printing.enable = true;
  # the Brother in the hallway announces itself over mDNS
  services.avahi = { enable = true; nssmdns4 = true; };
}
