# Colour palette shared by the console (NixOS) and tmux/kitty (home-manager).
# Hex without the leading '#', because console.colors wants it that way.
rec {
  name = "rose-dusk";

  base    = "191724";
  surface = "1f1d2e";
  overlay = "26233a";
  muted   = "6e6a86";
  text    = "e0def4";
  love    = "eb6f92";
  gold    = "f6c177";
  rose    = "ebbcba";
  pine    = "31748f";
  foam    = "9ccfd8";
  iris    = "c4a7e7";

  # the 16 ANSI colours, in console order
  ansi = [
    base love pine gold foam iris rose text
    muted love pine gold foam iris rose text
  ];
}
