-- loaded by programs.neovim through xdg.configFile
vim.opt.number = true
vim.opt.relativenumber = true
vim.opt.expandtab = true
vim.opt.shiftwidth = 2
vim.g.mapleader = " "

vim.keymap.set("n", "<leader>f", require("telescope.builtin").find_files)
