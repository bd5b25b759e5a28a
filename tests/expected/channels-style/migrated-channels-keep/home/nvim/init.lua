vim.g.mapleader = " "
vim.opt.number = true
vim.opt.relativenumber = true
vim.opt.expandtab = true
vim.opt.shiftwidth = 4
vim.opt.termguicolors = true
vim.cmd.colorscheme("gruvbox")

require("lualine").setup({ options = { theme = "gruvbox" } })
require("Comment").setup()

local lsp = require("lspconfig")
lsp.pyright.setup({})
lsp.nil_ls.setup({})
lsp.lua_ls.setup({})

local tb = require("telescope.builtin")
vim.keymap.set("n", "<leader>ff", tb.find_files)
vim.keymap.set("n", "<leader>fg", tb.live_grep)
