{ pkgs, ... }:
{
  programs.helix = {
    enable = true;
    defaultEditor = true;
    settings = {
      theme = "kanagawa";
      editor = {
        line-number = "relative";
        bufferline = "multiple";
        cursor-shape.insert = "bar";
        # soft-wrap so markdown notes are readable on wren's small screen
        soft-wrap.enable = true;
      };
    };
    extraPackages = with pkgs; [ nil nixfmt-rfc-style marksman ];
  };
}
