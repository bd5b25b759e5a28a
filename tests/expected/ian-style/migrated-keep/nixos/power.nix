{ ... }:
{
  # the framework module already turns on power-profiles-daemon, don't add tlp on top
  services.power-profiles-daemon.enable = true;
  services.fprintd.enable = true;

  services.logind = {
    lidSwitch = "suspend-then-hibernate";
    lidSwitchExternalPower = "suspend";
  };
  systemd.sleep.extraConfig = ''
    HibernateDelaySec=2h
  '';
}
