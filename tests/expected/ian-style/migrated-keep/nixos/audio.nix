# pipewire everywhere, no pulseaudio
{ pkgs, ... }:
{
	hardware.pulseaudio.enable = false;
	security.rtkit.enable = true;

	services.pipewire = {
		enable = true;
		alsa.enable = true;
		alsa.support32Bit = true;
		pulse.enable = true;
		jack.enable = false;   # turn on if I ever get back into bitwig
		wireplumber.enable = true;
	};

	environment.systemPackages = [ pkgs.pavucontrol pkgs.helvum ];
}
