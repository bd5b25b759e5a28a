{
  description = "wren's machines -- snowfall-lib layout (systems/, homes/, modules/)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";

    # snowfall-lib does the plumbing: every folder under systems/ and homes/
    # becomes a configuration, every modules/*/**/default.nix is loaded.
    snowfall-lib = {
      url = "github:snowfallorg/lib";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    # needed by snowfall for systems/x86_64-install-iso/*
    nixos-generators = {
      url = "github:nix-community/nixos-generators";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    darwin = {
      url = "github:LnL7/nix-darwin/nix-darwin-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    nixos-hardware.url = "github:NixOS/nixos-hardware";
    agenix.url = "github:ryantm/agenix";
  };

  outputs = inputs:
    let
      lib = inputs.snowfall-lib.mkLib {
        inherit inputs;
        src = ./.;

        snowfall = {
          namespace = "cozy";   # options live under config.cozy.*
          meta = { name = "cozy"; title = "wren's cozy machines"; };
        };
      };
    in
    lib.mkFlake {
      channels-config = {
        allowUnfree = true;
        # TODO drop once the printer driver is fixed upstream
        permittedInsecurePackages = [ "openssl-1.1.1w" ];
      };

      overlays = with inputs; [ agenix.overlays.default ];

      # ---- systems -----------------------------------------------------
      systems.modules.nixos = with inputs; [
        agenix.nixosModules.default
      ];

      systems.hosts.pebble.modules = with inputs; [ nixos-hardware.nixosModules.raspberry-pi-4 ];
      systems.hosts.juniper.specialArgs = { monitors = [ "DP-1" "HDMI-A-1" ]; };

      # ---- homes -------------------------------------------------------
      homes.modules = with inputs; [ agenix.homeManagerModules.default ];

      # The Chromebook runs Debian in Crostini: plain `home-manager switch`.
      homes.users."wren@chromebook".specialArgs = {
        crostini = true;
      };

      alias.shells.default = "cozy";
    };
}
