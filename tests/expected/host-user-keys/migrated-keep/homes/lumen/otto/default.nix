{ pkgs, ... }:
{
  home.username = "otto";
  # homework and minecraft
  home.packages = with pkgs; [ libreoffice prismlauncher ];
}
