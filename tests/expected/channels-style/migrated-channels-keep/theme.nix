# gruvbox dark, hex without '#'.
# Used by configuration.nix (console colours) and home/foot.nix, so both
# the tty and the terminal look the same.
rec {
  bg      = "282828";
  fg      = "ebdbb2";

  black   = "282828";  brblack   = "928374";
  red     = "cc241d";  brred     = "fb4934";
  green   = "98971a";  brgreen   = "b8bb26";
  yellow  = "d79921";  bryellow  = "fabd2f";
  blue    = "458588";  brblue    = "83a598";
  magenta = "b16286";  brmagenta = "d3869b";
  cyan    = "689d6a";  brcyan    = "8ec07c";
  white   = "a89984";  brwhite   = "ebdbb2";

  # order expected by console.colors
  console = [ black red green yellow blue magenta cyan white
              brblack brred brgreen bryellow brblue brmagenta brcyan brwhite ];
}
