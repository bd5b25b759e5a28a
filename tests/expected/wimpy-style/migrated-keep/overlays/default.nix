# This file defines overlays
{ inputs, ... }:
{
  # This one brings our custom packages from the 'pkgs' directory
  additions = final: _prev: import ../pkgs final.pkgs;

  # This one contains whatever you want to overlay
  # You can change versions, add patches, set compilation flags, anything really.
  # https://nixos.wiki/wiki/Overlays
  modifications = _final: prev: {
    # TODO: drop once https://github.com/NixOS/nixpkgs/pull/000000 lands in 24.05
    # hyprpaper = prev.hyprpaper.overrideAttrs (old: { patches = (old.patches or [ ]) ++ [ ./hyprpaper-fix.patch ]; });

    # the packaged version shows a "new version available" popup every morning
    zoom-us = prev.zoom-us.overrideAttrs (old: {
      postFixup = (old.postFixup or "") + ''
        wrapProgram $out/bin/zoom --set QT_QPA_PLATFORM xcb
      '';
    });
  };

  # When applied, the unstable nixpkgs set (declared in the flake inputs) will
  # be accessible through 'pkgs.unstable'
  unstable-packages = final: _prev: {
    unstable = import inputs.nixpkgs-unstable {
      inherit (final) system;
      config.allowUnfree = true;
    };
  };
}
