{ lib, ... }:
{
  # power-profiles-daemon is what Framework recommends for the AMD boards,
  # TLP fights with it.
  services.power-profiles-daemon.enable = true;
  services.tlp.enable = lib.mkForce false;

  services.logind.lidSwitch = "suspend-then-hibernate";
  systemd.sleep.extraConfig = ''
    HibernateDelaySec=2h
  '';
  # TODO: try amd_pstate=active once 6.13 lands
  # boot.kernelParams = [ "amd_pstate=active" ];
}
