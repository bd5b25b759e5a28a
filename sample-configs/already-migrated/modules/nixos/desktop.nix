{ pkgs, ... }:
{
  imports = [ ./fonts.nix ];

  programs.niri.enable = true;

  services.greetd = {
    enable = true;
    settings.default_session.command = "${pkgs.greetd.tuigreet}/bin/tuigreet --time --cmd niri-session";
  };

  services.pipewire = {
    enable = true;
    pulse.enable = true;
    alsa.enable = true;
  };
  services.pulseaudio.enable = false;
  security.rtkit.enable = true;

  services.gnome.gnome-keyring.enable = true;
  hardware.bluetooth.enable = true;
  services.blueman.enable = true;
}
