{
  services.power-profiles-daemon.enable = true;
  services.thermald.enable = true;
  services.logind.lidSwitch = "suspend-then-hibernate";
  systemd.sleep.extraConfig = "HibernateDelaySec=90min";
  powerManagement.enable = true;
}
