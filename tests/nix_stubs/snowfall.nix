# snowfall-lib, as far as systems and homes go, written for the harness.
#
# `mkFlake { inputs; src; systems; homes; snowfall.namespace; ... }` (or
# `(mkLib { inputs; src; snowfall; }).mkFlake { ... }`) reads the flake's folders:
#   systems/<target>/<name>/default.nix  -> nixosConfigurations.<name>
#     (`<format>Configurations.<name>` when <target> names a nixos-generators
#     format, darwinConfigurations.<name> for a darwin target: never evaluated)
#   homes/<target>/<user>[@<host>]/default.nix -> homeConfigurations."<user>@<host>"
#   modules/{nixos,home}/**/default.nix -> added to every system / home
#   lib/**/default.nix -> lib.<namespace>
# and, when the flake has a `home-manager` input, adds home-manager's NixOS module
# to every system with each matching home as `home-manager.users.<user>`: a home
# whose host part is the system's name, or without one, of the system's
# architecture. The builders are the nixpkgs and home-manager stubs'.
{ }:
let
  inherit (builtins)
    attrNames
    concatMap
    filter
    foldl'
    functionArgs
    intersectAttrs
    isFunction
    length
    listToAttrs
    match
    pathExists
    readDir
    replaceStrings
    split
    elemAt
    ;

  # nixos-generators formats, in the order snowfall-lib tries them: a target is of
  # the first one it contains
  virtualFormats = [
    "amazon" "azure" "cloudstack" "do" "gce" "hyperv" "install-iso-hyperv" "install-iso" "iso" "kexec"
    "kexec-bundle" "kubevirt" "lxc-metadata" "lxc" "openstack" "proxmox" "qcow" "raw" "raw-efi"
    "sd-aarch64-installer" "sd-aarch64" "vagrant-virtualbox" "virtualbox" "vm-bootloader" "vm-nogui" "vmware"
    "vm"
  ];
  contains = part: s: match ".*${part}.*" s != null;
  formatOf = target: foldl' (found: f: if found == "" && contains f target then f else found) "" virtualFormats;
  systemOf = target: let f = formatOf target; in if f == "" then target else replaceStrings [ f ] [ "linux" ] target;
  isDarwin = contains "darwin";

  dirsIn = path: if pathExists path then filter (n: (readDir path).${n} == "directory") (attrNames (readDir path)) else [ ];
  defaultFiles =
    path:
    if !pathExists path then
      [ ]
    else
      concatMap (
        n:
        let
          kind = (readDir path).${n};
        in
        if kind == "directory" then defaultFiles (path + "/${n}") else if n == "default.nix" then [ (path + "/${n}") ] else [ ]
      ) (attrNames (readDir path));

  entries =
    root: kind:
    concatMap (
      target:
      map (name: {
        inherit target name;
        path = root + "/${kind}/${target}/${name}/default.nix";
      }) (filter (name: pathExists (root + "/${kind}/${target}/${name}/default.nix")) (dirsIn (root + "/${kind}/${target}")))
    ) (dirsIn (root + "/${kind}"));

  splitName =
    name:
    let
      parts = filter (p: p != [ ]) (split "@" name);
    in
    {
      user = elemAt parts 0;
      host = if length parts > 1 then elemAt parts 1 else "";
    };

  mergeDeep =
    a: b:
    a
    // builtins.mapAttrs (n: v: if a ? ${n} && builtins.isAttrs a.${n} && builtins.isAttrs v then mergeDeep a.${n} v else v) b;

  mkFlake =
    options:
    let
      inherit (options) inputs;
      src = options.src;
      root = options.snowfall.root or src;
      namespace = options.snowfall.namespace or "internal";
      hasHomeManager = inputs ? home-manager;
      stdlib = inputs.nixpkgs.lib;

      callLib =
        path:
        let
          f = import path;
        in
        if isFunction f then f (intersectAttrs (functionArgs f) { inherit inputs namespace lib; snowfall-inputs = { }; }) else f;
      lib = stdlib // { ${namespace} = foldl' mergeDeep { } (map callLib (defaultFiles (root + "/lib"))); };

      opt = path: default: stdlib.attrByPath path default options;

      # homes by name; a name under two targets is the last one's
      homes = foldl' (acc: h: acc // { ${h.name} = h // splitName h.name; }) { } (entries root "homes");
      homeModules = defaultFiles (root + "/modules/home");

      homeManagerWiring =
        name: system:
        let
          matching = filter (h: h.host == name || (h.host == "" && h.target == system)) (map (n: homes.${n}) (attrNames homes));
          users = foldl' (
            acc: h:
            acc
            // {
              ${h.user} = (acc.${h.user} or [ ]) ++ (opt [ "homes" "users" h.name "modules" ] [ ]) ++ [ h.path ];
            }
          ) { } matching;
        in
        {
          home-manager = {
            useGlobalPkgs = true;
            extraSpecialArgs = {
              inherit system namespace lib inputs;
              target = system;
              format = "home";
              virtual = false;
              systems = { };
              host = name;
            };
            sharedModules = homeModules ++ opt [ "homes" "modules" ] [ ];
            users = builtins.mapAttrs (user: modules: { imports = modules; }) users;
          };
        };

      mkSystem =
        s:
        let
          system = systemOf s.target;
          format = formatOf s.target;
        in
        inputs.nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = opt [ "systems" "hosts" s.name "specialArgs" ] { } // {
            inherit system namespace lib inputs;
            inherit (s) target;
            host = s.name;
            virtual = format != "";
            format = if format != "" then format else "linux";
            systems = { };
          };
          modules =
            [ s.path ]
            ++ defaultFiles (root + "/modules/nixos")
            ++ opt [ "systems" "hosts" s.name "modules" ] [ ]
            ++ opt [ "systems" "modules" "nixos" ] [ ]
            ++ (if hasHomeManager then [ inputs.home-manager.nixosModules.home-manager (homeManagerWiring s.name system) ] else [ ]);
        };

      mkHome =
        h:
        inputs.home-manager.lib.homeManagerConfiguration {
          pkgs = inputs.nixpkgs.legacyPackages.${h.target};
          inherit lib;
          modules = [ h.path ] ++ homeModules ++ opt [ "homes" "users" h.name "modules" ] [ ] ++ opt [ "homes" "modules" ] [ ];
          extraSpecialArgs = {
            inherit (h) name user host;
            inherit inputs namespace lib;
            system = h.target;
            format = "home";
            pkgs = inputs.nixpkgs.legacyPackages.${h.target};
          }
          // opt [ "homes" "users" h.name "specialArgs" ] { };
        };

      systems = entries root "systems";
      outputName =
        s:
        if formatOf s.target != "" then
          "${formatOf s.target}Configurations"
        else if isDarwin s.target then
          "darwinConfigurations"
        else
          "nixosConfigurations";
      outputs = foldl' (
        acc: s:
        acc
        // {
          ${outputName s} = (acc.${outputName s} or { }) // {
            ${s.name} = if isDarwin s.target then throw "tests/nix_stubs: snowfall darwin systems are not built" else mkSystem s;
          };
        }
      ) { } systems;
    in
    outputs // { homeConfigurations = builtins.mapAttrs (_: mkHome) homes; };
in
{
  inherit mkFlake;
  mkLib = libOptions: { mkFlake = options: mkFlake (libOptions // options); };
}
