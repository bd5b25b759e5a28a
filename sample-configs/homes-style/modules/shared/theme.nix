# One place for fonts and colours; imported by both the NixOS and the
# home-manager modules, so it must stay a plain attrset (no pkgs here).
{
  font = { mono = "Iosevka Term"; sans = "Inter"; size = 11; };

  # gruvbox-ish, hex without '#'
  bg = "282828"; fg = "ebdbb2"; accent = "d79921";

  console = [
    "282828" "cc241d" "98971a" "d79921" "458588" "b16286" "689d6a" "a89984"
    "928374" "fb4934" "b8bb26" "fabd2f" "83a598" "d3869b" "8ec07c" "ebdbb2"
  ];
}
