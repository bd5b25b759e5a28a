{ lib, pkgs, ... }:
{
  programs.emacs = {
    enable = true;
    # plover/bittern get the pgtk one from emacs-overlay (desktop.nix)
    package = lib.mkDefault pkgs.emacs;
    extraPackages = epkgs: with epkgs; [ magit vertico orderless nix-mode ];
  };

  # init.el stays plain elisp so I can read it on machines without nix
  xdg.configFile."emacs/init.el".source = ./emacs/init.el;
}
