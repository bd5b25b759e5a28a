{ ... }:
let
  theme = import ../shared/theme.nix;
in
{
  time.timeZone    = "Europe/Stockholm";
  i18n.defaultLocale = "en_US.UTF-8";
  i18n.extraLocaleSettings = {
    LC_TIME     = "sv_SE.UTF-8";
    LC_MONETARY = "sv_SE.UTF-8";
    LC_PAPER    = "sv_SE.UTF-8";
  };
  console.keyMap = "sv-latin1";
  console.colors = theme.console;
}
