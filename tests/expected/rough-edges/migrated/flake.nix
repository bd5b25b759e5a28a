{
  description = "ana's machines: lark, wren, heron (+ home on the work laptop)";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    nixos-hardware.url = "github:NixOS/nixos-hardware";
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      inherit (self) outputs;
      # Only ever changed on a reinstall. wren was installed on 24.05 and
      # pins its own, see machines/workstation/wren.
      stateVersion = "24.11";
      helpers = import ./lib { inherit inputs outputs stateVersion; };
      inherit (helpers) mkHost mkHome forAllSystems;
    in
    {
      # Marta runs this on her NAS too, so it lives in modules/ and not in machines/.
      nixosModules.default = import ./modules/nixos;

      # sudo nixos-rebuild switch --flake .
      nixosConfigurations = {
        lark  = mkHost { hostname = "lark";  role = "workstation"; username = "ana"; desktop = "sway";  };
        wren  = mkHost { hostname = "wren";  role = "workstation"; username = "ana"; desktop = "gnome"; };
        # No username: nobody logs in on heron but root over ssh, and services
        # run as their own users. Don't "fix" this by adding ana.
        heron = mkHost { hostname = "heron"; role = "server"; };
      };

      # home-manager switch --flake .#ana@$(hostname -s)
      homeConfigurations = {
        # Work laptop. Fedora, IT owns the OS, I own ~. No desktop = no sway bits,
        # GNOME there is the company's image.
        "ana@tern" = mkHome {
          hostname = "tern";
          username = "ana";
          extraModules = [ ./modules/home/non-nixos.nix ];
        };
      };

      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt-rfc-style);
    };
}
