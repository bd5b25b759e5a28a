{ ... }:
{
  time.timeZone = "Europe/Zagreb";

  # English UI, but dates/paper/units from here. en_DK gives ISO dates.
  i18n.defaultLocale = "en_US.UTF-8";
  i18n.extraLocaleSettings = {
    LC_TIME          = "en_DK.UTF-8";
    LC_PAPER         = "hr_HR.UTF-8";
    LC_MEASUREMENT   = "hr_HR.UTF-8";
  };
  i18n.supportedLocales = [ "en_US.UTF-8/UTF-8" "en_DK.UTF-8/UTF-8" "hr_HR.UTF-8/UTF-8" ];

  console.keyMap = "croat";
}
