{ pkgs, ... }: {
  security.rtkit.enable = true;
  hardware.pulseaudio.enable = false;
  services.pipewire = {
    enable = true;
    alsa.enable = true;
    alsa.support32Bit = true;
    pulse.enable = true;
    jack.enable = false;   # no DAW on these machines (yet)
  };
  environment.systemPackages = [ pkgs.pavucontrol ];
}
