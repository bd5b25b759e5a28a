{ pkgs, ... }:
{
  programs.neovim = {
    enable = true;
    defaultEditor = true;
    plugins = with pkgs.vimPlugins; [ nvim-treesitter.withAllGrammars telescope-nvim ];
  };
  # plain Lua, kept next to this file so it diffs well
  xdg.configFile."nvim/init.lua".source = ./init.lua;
}
