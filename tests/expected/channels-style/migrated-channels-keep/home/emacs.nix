{ pkgs, ... }:
{
  programs.emacs = {
    enable = true;
    package = pkgs.emacs29-pgtk;
    extraPackages = epkgs: with epkgs; [ magit evil org-roam vertico ];
  };
  services.emacs.enable = true;
}
