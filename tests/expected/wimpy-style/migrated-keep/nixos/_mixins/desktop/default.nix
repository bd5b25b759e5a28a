{ desktop, pkgs, ... }:
{
  imports = [
    ./${desktop}.nix
    ../services/pipewire.nix
  ];

  boot.plymouth.enable = true;

  fonts = {
    enableDefaultPackages = false;
    packages = with pkgs; [
      inter
      noto-fonts
      noto-fonts-emoji
      (nerdfonts.override { fonts = [ "JetBrainsMono" ]; })
    ];
    fontconfig.defaultFonts = {
      sansSerif = [ "Inter" "Noto Sans" ];
      monospace = [ "JetBrainsMono Nerd Font Mono" ];
      emoji = [ "Noto Color Emoji" ];
    };
  };

  networking.networkmanager.enable = true;
  services.printing.enable = true;
  xdg.portal.enable = true;

  environment.systemPackages = with pkgs; [ firefox wl-clipboard ];
}
