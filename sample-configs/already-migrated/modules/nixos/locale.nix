{
  time.timeZone = "Europe/Amsterdam";
  i18n.defaultLocale = "en_US.UTF-8";
  i18n.extraLocaleSettings.LC_TIME = "nl_NL.UTF-8";
  services.xserver.xkb.layout = "us";
  console.useXkbConfig = true;
}
