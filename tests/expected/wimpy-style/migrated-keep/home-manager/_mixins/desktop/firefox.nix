{ username, ... }:
{
  programs.firefox = {
    enable = true;
    profiles.${username} = {
      isDefault = true;
      settings = {
        "browser.startup.page" = 3; # restore session
        "browser.aboutConfig.showWarning" = false;
        "media.ffmpeg.vaapi.enabled" = true;
        "signon.rememberSignons" = false; # that's what the password manager is for
      };
      search.default = "DuckDuckGo";
      search.force = true;
    };
  };
}
