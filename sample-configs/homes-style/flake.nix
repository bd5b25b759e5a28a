{
  description = "rhea's machines and dotfiles (and tomasz's, he keeps asking)";

  inputs = {
    nixpkgs.url = "github:nixos/nixpkgs/nixos-24.11";

    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    nixos-hardware.url = "github:NixOS/nixos-hardware";

    nix-index-database = {
      url = "github:nix-community/nix-index-database";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    { self, nixpkgs, home-manager, ... }@inputs:
    let
      inherit (nixpkgs) lib;

      forAllSystems = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ];

      # ---- scanning -------------------------------------------------------
      # Every directory under homes/:  <user>, <user>@global, <user>@<host>
      homeDirs = builtins.attrNames (lib.filterAttrs (_: type: type == "directory") (builtins.readDir ./homes));

      # <user> and <user>@global are for `home-manager switch`;
      # <user>@<host> is picked up by the host below and never exposed on its own.
      validUsers = builtins.filter (name: !(lib.hasInfix "@" name) || lib.hasSuffix "@global" name) homeDirs;
      usernames = lib.unique (map (name: lib.removeSuffix "@global" name) validUsers);

      # users that have a homes/<user>@<host> directory for this host
      usersOf = host: map (lib.removeSuffix "@${host}") (builtins.filter (lib.hasSuffix "@${host}") homeDirs);

      # All of modules/<kind>/*.nix (sub-directories are ignored: that's where
      # half-finished stuff lives)
      modulesIn = dir:
        map (name: dir + "/${name}")
          (builtins.attrNames (lib.filterAttrs (name: type: type == "regular" && lib.hasSuffix ".nix" name) (builtins.readDir dir)));

      nixosModules = modulesIn ./modules/nixos;
      homeManagerModules = modulesIn ./modules/home ++ [
        inputs.nix-index-database.hmModules.nix-index
      ];

      # ---- builders -------------------------------------------------------
      mkSystem = host: lib.nixosSystem {
        specialArgs = { inherit inputs self; };
        modules = [
          ./systems/${host}
          home-manager.nixosModules.home-manager
          {
            networking.hostName = host;
            home-manager = {
              useGlobalPkgs = true;
              useUserPackages = true;
              backupFileExtension = "bak";
              extraSpecialArgs = { inherit inputs self; standalone = false; };
              sharedModules = homeManagerModules;
              # homes/<user> everywhere, plus homes/<user>@<host> on that host
              users = lib.genAttrs (usersOf host) (user: {
                imports = [
                  (./homes + "/${user}")
                  (./homes + "/${user}@${host}")
                ];
              });
            };
          }
        ] ++ nixosModules;
      };

      mkHome = username: home-manager.lib.homeManagerConfiguration {
        pkgs = import nixpkgs {
          system = "x86_64-linux";
          overlays = [ self.overlays.default ];
          config.allowUnfree = true;
        };
        extraSpecialArgs = { inherit inputs self; standalone = true; };
        modules =
          homeManagerModules
          ++ [
            (./homes + "/${username}")
            {
              home = {
                inherit username;
                homeDirectory = lib.mkDefault "/home/${username}";
                stateVersion = lib.mkDefault "24.11";
              };
            }
          ]
          ++ lib.optional (builtins.pathExists (./homes + "/${username}@global")) (./homes + "/${username}@global");
      };
    in
    {
      # sudo nixos-rebuild switch --flake .#<host>
      nixosConfigurations = lib.genAttrs (builtins.attrNames (lib.filterAttrs (_: t: t == "directory") (builtins.readDir ./systems))) mkSystem;

      # home-manager switch --flake .#<user>
      homeConfigurations = lib.genAttrs usernames mkHome;

      overlays.default = import ./overlays { inherit inputs; };

      devShells = forAllSystems (system: {
        default = import ./shell.nix { pkgs = nixpkgs.legacyPackages.${system}; };
      });

      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt-rfc-style);
    };
}
