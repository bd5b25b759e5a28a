{
  sound.enable = false; # pipewire does it, this is ALSA-only
  hardware.pulseaudio.enable = false;
  security.rtkit.enable = true;
  services.pipewire = { enable = true; alsa.enable = true; pulse.enable = true; };
}
