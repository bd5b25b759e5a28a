{ ... }:
{
  programs.bash = {
    enable = true;
    historyControl = [ "ignoredups" "erasedups" ];
  };

  programs.direnv = {
    enable = true;
    nix-direnv.enable = true;
  };

  programs.starship.enable = true;
}
