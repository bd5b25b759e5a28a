{pkgs, ...}: {
  programs.helix = {
    enable = true;
    defaultEditor = true;
    settings = {
      theme = "kanagawa";
      editor = {
        line-number = "relative";
        cursorline = true;
        bufferline = "multiple";
        cursor-shape = { insert = "bar"; normal = "block"; select = "underline"; };
        lsp.display-inlay-hints = true;
      };
      keys.normal = { "C-s" = ":w"; };
    };
    languages.language = [
      { name = "nix"; auto-format = true; formatter.command = "alejandra"; }
    ];
    extraPackages = with pkgs; [nil marksman];
  };
}
