{ pkgs, ... }:

{
  programs.nixvim = {
    enable = true;
    defaultEditor = true;
    viAlias = true;
    vimAlias = true;

    globals.mapleader = " ";

    opts = {
      number         = true;
      relativenumber = true;
      shiftwidth     = 2;
      expandtab      = true;
      smartindent    = true;
      ignorecase     = true;
      smartcase      = true;
      undofile       = true;
      scrolloff      = 8;
      signcolumn     = "yes";
    };

    colorschemes.catppuccin = {
      enable = true;
      settings.flavour = "mocha";
    };

    plugins = {
      lualine.enable = true;
      web-devicons.enable = true;
      telescope.enable = true;
      treesitter = {
        enable = true;
        settings.highlight.enable = true;
      };
      gitsigns.enable = true;
      which-key.enable = true;
      oil.enable = true;
      lsp = {
        enable = true;
        servers = {
          nil_ls.enable = true;
          rust_analyzer = {
            enable = true;
            installCargo = false;   # cargo comes from the project devshell
            installRustc = false;
          };
          pyright.enable = true;
          # ts_ls.enable = true;
        };
      };
      cmp = {
        enable = true;
        autoEnableSources = true;
        settings.sources = [ { name = "nvim_lsp"; } { name = "path"; } { name = "buffer"; } ];
      };
    };

    keymaps = [
      { mode = "n"; key = "<leader>ff"; action = "<cmd>Telescope find_files<cr>"; }
      { mode = "n"; key = "<leader>fg"; action = "<cmd>Telescope live_grep<cr>"; }
      { mode = "n"; key = "<leader>fb"; action = "<cmd>Telescope buffers<cr>"; }
      { mode = "n"; key = "-";          action = "<cmd>Oil<cr>"; }
    ];

    extraPlugins = [ pkgs.vimPlugins.vim-sleuth ];
  };
}
