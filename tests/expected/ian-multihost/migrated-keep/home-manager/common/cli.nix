{pkgs, ...}: {
  programs.bat.enable = true;
  programs.eza.enable = true;
  programs.fzf.enable = true;
  programs.zoxide.enable = true;
  programs.btop.enable = true; # the rocm one from overlays/ on nimbus, same pkg on cirrus

  home.packages = with pkgs; [ripgrep fd jq file tree unzip];
}
