{pkgs, ...}: {
  services.displayManager.sddm = {
    enable = true;
    wayland.enable = true;
  };
  services.desktopManager.plasma6.enable = true;

  environment.plasma6.excludePackages = with pkgs.kdePackages; [
    elisa    # never used it
    khelpcenter
  ];

  networking.networkmanager.enable = true;
  hardware.bluetooth.enable = true;

  fonts.packages = with pkgs; [noto-fonts noto-fonts-emoji fira-code];
  programs.kdeconnect.enable = true; # opens 1714-1764
}
