{ pkgs, ... }:

{
  programs.neovim = {
    enable = true;
    defaultEditor = true;
    viAlias = true;
    vimAlias = true;
    plugins = with pkgs.vimPlugins; [
      gruvbox-nvim
      nvim-treesitter.withAllGrammars
      telescope-nvim
      nvim-lspconfig
      lualine-nvim
      comment-nvim
    ];
    extraPackages = with pkgs; [ ripgrep pyright nil lua-language-server ];
    # config lives in a real lua file so I get highlighting while editing it
    extraLuaConfig = builtins.readFile ./nvim/init.lua;
  };
}
