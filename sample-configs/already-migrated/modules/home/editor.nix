{ pkgs, ... }:
{
  programs.helix = {
    enable = true;
    defaultEditor = true;
    settings = {
      theme = "gruvbox_dark_hard";
      editor.line-number = "relative";
      editor.soft-wrap.enable = true;
    };
  };
  home.packages = [ pkgs.nil pkgs.nixfmt-rfc-style ];
}
