{
  description = "Dana's NixOS & Home Manager configs";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";

    home-manager.url = "github:nix-community/home-manager/release-24.05";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";

    agenix.url = "github:ryantm/agenix";
    agenix.inputs.nixpkgs.follows = "nixpkgs";
    # agenix pulls in its own darwin input, we never use it
    agenix.inputs.darwin.follows = "";

    nixos-hardware.url = "github:NixOS/nixos-hardware/master";

    disko.url = "github:nix-community/disko";
    disko.inputs.nixpkgs.follows = "nixpkgs";
  };

  outputs =
    { self, nixpkgs, ... }@inputs:
    let
      inherit (self) outputs;
      # Bump this ONLY when reinstalling a machine. Read the release notes first.
      stateVersion = "24.05";
      libx = import ./lib { inherit inputs outputs stateVersion; };
    in
    {
      # home-manager switch -b backup --flake $HOME/src/nix-config
      # (`just home` does this for you)
      homeConfigurations = {
        # Rescue profile for forge: same user, no desktop bits. When a Hyprland
        # update breaks the session I log in on a TTY and run
        #   home-manager switch --flake .#console@forge
        "console@forge" = libx.mkHome { hostname = "forge"; username = "dana"; };

        # Not NixOS
        "dana@quill" = libx.mkHome {
          hostname = "quill";
          username = "dana";
          platform = "aarch64-darwin";
        };
        "deck@steamdeck" = libx.mkHome { hostname = "steamdeck"; username = "deck"; };
      };

      # sudo nixos-rebuild switch --flake $HOME/src/nix-config
      nixosConfigurations = {
        # .iso images
        #  - nix build .#nixosConfigurations.iso-console.config.system.build.isoImage
        iso-console = libx.mkHost {
          hostname = "iso-console";
          username = "nixos";
          installer = nixpkgs + "/nixos/modules/installer/cd-dvd/installation-cd-minimal.nix";
        };
        # Workstations
        forge   = libx.mkHost { hostname = "forge";   username = "dana"; desktop = "hyprland"; };
        kestrel = libx.mkHost { hostname = "kestrel"; username = "dana"; desktop = "gnome"; };
        shard   = libx.mkHost { hostname = "shard";   username = "dana"; };
        # Servers
        pebble  = libx.mkHost { hostname = "pebble";  username = "dana"; };
      };

      # Custom packages and modifications, exported as overlays
      overlays = import ./overlays { inherit inputs; };

      # Custom packages; acessible via 'nix build', 'nix shell', etc
      packages = libx.forAllSystems (
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        import ./pkgs pkgs
      );

      # Devshell for bootstrapping; acessible via 'nix develop'
      devShells = libx.forAllSystems (
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        { default = import ./shell.nix { inherit pkgs; }; }
      );

      formatter = libx.forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt-rfc-style);
    };
}
