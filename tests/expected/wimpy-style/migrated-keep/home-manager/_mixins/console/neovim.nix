{ pkgs, ... }:
{
  programs.neovim = {
    enable = true;
    defaultEditor = true;
    viAlias = true;
    vimAlias = true;
    plugins = with pkgs.vimPlugins; [
      nvim-treesitter.withAllGrammars
      telescope-nvim
      gitsigns-nvim
      rose-pine
      # copilot-vim
    ];
    extraLuaConfig = ''
      vim.opt.number = true
      vim.opt.relativenumber = true
      vim.opt.expandtab = true
      vim.opt.shiftwidth = 2
      vim.cmd.colorscheme("rose-pine")
    '';
    extraPackages = with pkgs; [ nil nixfmt-rfc-style lua-language-server ];
  };
}
