{ vars, ... }:

{
  programs.firefox = {
    enable = true;
    profiles.${vars.username} = {
      isDefault = true;
      search = {
        default = "DuckDuckGo";
        force = true;
      };
      settings = {
        "browser.startup.page" = 3;                      # restore session
        "browser.aboutConfig.showWarning" = false;
        "media.ffmpeg.vaapi.enabled" = true;
        "widget.use-xdg-desktop-portal.file-picker" = 1;
        "toolkit.legacyUserProfileCustomizations.stylesheets" = true;
      };
    };
  };
}
