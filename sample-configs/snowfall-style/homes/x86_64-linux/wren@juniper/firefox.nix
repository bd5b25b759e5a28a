{
  programs.firefox = {
    enable = true;
    profiles.wren = {
      settings."browser.startup.homepage" = "about:blank";
      settings."toolkit.legacyUserProfileCustomizations.stylesheets" = true;
    };
  };
}
