{ pkgs, ... }:
{
  programs.fish = {
    enable = true;
    shellAbbrs = {
      g = "git";
      # rebuild whatever machine this is
      nrs = "sudo nixos-rebuild switch --flake ~/src/dots";
      hms = "home-manager switch --flake ~/src/dots";
    };
  };
  programs.starship.enable = true;
  home.packages = with pkgs; [ ripgrep fd jq ];
}
