# This file defines overlays
{inputs, ...}: {
  # This one brings our custom packages from the 'pkgs' directory
  additions = final: _prev: import ../pkgs final.pkgs;

  # This one contains whatever you want to overlay
  # You can change versions, add patches, set compilation flags, anything really.
  # https://nixos.wiki/wiki/Overlays
  modifications = final: prev: {
    # kitty 0.36 tests are flaky in the sandbox on nimbus; drop when fixed upstream
    kitty = prev.kitty.overrideAttrs (_old: {doInstallCheck = false;});

    # btop with ROCm so it shows the GPU on nimbus
    btop = prev.btop.override {rocmSupport = true;};
  };

  # When applied, the unstable nixpkgs set (declared in the flake inputs) will
  # be accessible through 'pkgs.unstable'
  unstable-packages = final: _prev: {
    unstable = import inputs.nixpkgs-unstable {
      system = final.system;
      config.allowUnfree = true;
    };
  };
}
