{
  time.timeZone = "Europe/Dublin";
  i18n.defaultLocale = "en_IE.UTF-8";
  console.keyMap = "uk";
  services.xserver.xkb = { layout = "gb"; variant = ""; };
}
