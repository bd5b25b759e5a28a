{ pkgs, ... }:
{
  programs.helix = {
    enable = true;
    defaultEditor = true;
    settings = {
      theme = "gruvbox";
      editor = {
        line-number = "relative";
        cursorline = true;
        lsp.display-inlay-hints = true;
      };
    };
    languages.language = [
      { name = "nix"; auto-format = true; formatter.command = "nixfmt"; }
    ];
    extraPackages = with pkgs; [ nil nixfmt-rfc-style marksman ];
  };
}
