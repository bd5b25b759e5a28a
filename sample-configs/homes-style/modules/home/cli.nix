{ pkgs, ... }:
{
  home.packages = with pkgs; [
    ripgrep
    fd
    jq
    dust
    btop
    wget
  ];

  programs.eza.enable = true;
  programs.bat.enable = true;
  programs.fzf.enable = true;
  programs.zoxide.enable = true;
  programs.direnv = { enable = true; nix-direnv.enable = true; };

  # comes with the nix-index-database module (see flake.nix)
  programs.nix-index-database.comma.enable = true;
}
