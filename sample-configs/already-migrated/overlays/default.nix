final: prev: {
  # open links from the niri session in the right firefox profile
  firefox-work = prev.writeShellScriptBin "firefox-work" ''
    exec ${final.firefox}/bin/firefox -P work "$@"
  '';
}
