# Entry point of tests/flake_eval.py: evaluates a repository against the
# stubs and returns the module sets of each NixOS host and Home Manager
# configuration (plain data, printed with --json).
#
# cfgFile holds JSON written by flake_eval.py:
#   { mode = "flake" | "channels"; repo = "/abs/repo";
#     inputs = [ { name; kind; dir; modules = { nixosModules = [ ... ]; ... }; overlays = [ ... ]; } ... ]; }
cfgFile:
let
  inherit (builtins)
    attrNames
    concatLists
    concatMap
    elem
    filter
    foldl'
    head
    isAttrs
    isString
    listToAttrs
    mapAttrs
    pathExists
    stringLength
    substring
    tryEval
    ;

  cfg = builtins.fromJSON (builtins.readFile cfgFile);
  repoStr = cfg.repo;
  repo = /. + repoStr;

  hasPrefix = pre: s: substring 0 (stringLength pre) s == pre;

  stubs = listToAttrs (
    map (i: {
      inherit (i) name;
      value = import ./input.nix {
        inherit (i) name kind dir modules;
        overlays = i.overlays or [ ];
      };
    }) cfg.inputs
  );

  externalOf =
    s:
    let
      hits = filter (i: s == i.dir || hasPrefix (i.dir + "/") s) cfg.inputs;
      input = head hits;
      sub = substring (stringLength input.dir) (stringLength s) s;
    in
    if hits == [ ] then
      {
        marker = "path:${s}";
        hmNixosModule = false;
      }
    else
      {
        marker = "${input.name}:${if sub == "" then "/" else sub}";
        # `<home-manager/nixos>`, the channel way to get the NixOS module
        hmNixosModule = input.kind == "home-manager" && elem sub [ "/nixos" "/nixos/default.nix" ];
        hmModulesPath = input.dir + "/modules";
      };

  W = import ./walk.nix { inherit repoStr externalOf; };

  # Plain data for JSON: paths and inputs by name, functions as "<function>", a few levels deep.
  describe =
    depth: v:
    if builtins.isFunction v then
      "<function>"
    else if builtins.isPath v then
      (let s = toString v; in if hasPrefix (repoStr + "/") s then "path:" + substring (stringLength repoStr + 1) (stringLength s) s else (externalOf s).marker)
    else if isAttrs v && v ? _hmMigrateStub then
      v._hmMigrateStub
    else if isAttrs v && v ? outPath then
      (externalOf (toString v.outPath)).marker
    else if isAttrs v then
      (if depth == 0 then "<set>" else mapAttrs (_: describe (depth - 1)) v)
    else if builtins.isList v then
      (if depth == 0 then "<list>" else map (describe (depth - 1)) v)
    else
      v;

  # What an overlay adds, applied to empty package sets (null when it needs real ones).
  overlayNames =
    overlay:
    let
      attempt = tryEval (attrNames (overlay { } { }));
    in
    if attempt.success then attempt.value else null;

  recursiveUpdate =
    a: b: a // mapAttrs (n: v: if isAttrs v && isAttrs (a.${n} or null) then recursiveUpdate a.${n} v else v) b;

  # `nixpkgs.*` of a Home Manager user as its module system would merge them: the
  # definitions of the highest priority (mkDefault = 1000, plain = 100) of
  # `nixpkgs.config`, merged; every `nixpkgs.overlays`; `_module.args.pkgsPath`.
  nixpkgsSettingsOf =
    items:
    let
      defs = map (it: W.configOf it.result) (filter (it: it ? result) items);
      priorityOf = v: if isAttrs v && (v._type or null) == "override" then v.priority else 100;
      configDefs = W.lookupPath [ "nixpkgs" "config" ] defs;
      best = foldl' (p: v: if priorityOf v < p then priorityOf v else p) 1500 configDefs;
      configs = concatMap W.unwrap (filter (v: priorityOf v == best) configDefs);
      overlays = concatLists (concatMap W.unwrap (W.lookupPath [ "nixpkgs" "overlays" ] defs));
      pkgsPaths = concatMap W.unwrap (W.lookupPath [ "_module" "args" "pkgsPath" ] defs);
    in
    {
      config = if configs == [ ] then null else describe 4 (foldl' recursiveUpdate { } configs);
      overlays = map overlayNames overlays;
      pkgs_path = if pkgsPaths == [ ] then null else describe 0 (head pkgsPaths);
    };

  describedArgs = args: mapAttrs (_: describe 3) (builtins.intersectAttrs (listToAttrs (map (n: { name = n; value = null; }) (cfg.describe or [ ]))) args);

  noConfig = label: throw "tests/nix_stubs: ${label}: `config` decides a module list here; the harness merges no options";
  noOptions = label: throw "tests/nix_stubs: ${label}: `options` decides a module list here; the harness merges no options";

  firstDefinition =
    path: defs:
    let
      values = concatMap W.unwrap (W.lookupPath path defs);
    in
    if values == [ ] then null else head values;

  # Only for reporting: a setting hidden behind `config` is unknown, not an error.
  maybe =
    v:
    let
      attempt = tryEval v;
    in
    if attempt.success then attempt.value else null;

  platformOf =
    defs:
    maybe (
      let
        v = firstDefinition [ "nixpkgs" "hostPlatform" ] defs;
        # `nixpkgs.pkgs = pkgs;`: NixOS takes the platform of that package set
        pkgsSet = firstDefinition [ "nixpkgs" "pkgs" ] defs;
        system = firstDefinition [ "nixpkgs" "system" ] defs;
      in
      if v != null then
        (if isString v then v else v.system)
      else if system != null then
        system
      else if pkgsSet != null then
        pkgsSet.stdenv.hostPlatform.system
      else
        null
    );

  evalHost =
    label: sys:
    let
      given = sys.givenPkgs or null;
      system =
        if sys.system != null then
          sys.system
        else if given != null then
          given.stdenv.hostPlatform.system
        else
          platformOf defs;
      pkgs =
        if given != null then
          given
        else
          sys.pkgsFn {
            system =
              if system != null then
                system
              else
                throw "tests/nix_stubs: ${label}: pkgs.system is needed, but neither nixosSystem { system } nor nixpkgs.hostPlatform says it";
          };
      # a package set given whole (nixosSystem { pkgs }, `nixpkgs.pkgs`): NixOS ignores
      # nixpkgs.config and applies nixpkgs.overlays on top of it
      wholePkgs = if given != null then given else maybe (firstDefinition [ "nixpkgs" "pkgs" ] defs);
      args = {
        inherit (sys) lib;
        inherit pkgs;
        config = noConfig label;
        options = noOptions label;
        modulesPath = /. + sys.modulesPath;
      }
      // sys.specialArgs;
      items = W.walk args label sys.modules;
      defs = map (it: W.configOf it.result) (filter (it: it ? result) items);
      hmModule = filter (it: it.hmNixosModule or false) items;
      hmDefs = W.lookupPath [ "home-manager" ] defs;
    in
    {
      inherit system;
      special_args = attrNames sys.specialArgs;
      modules = W.filesOf items;
      external = W.externalsOf items;
      home_manager =
        if hmModule != [ ] then
          homeManagerOf label sys pkgs (head hmModule).hmModulesPath hmDefs
        else if hmDefs != [ ] then
          throw "tests/nix_stubs: ${label} sets home-manager.* without importing the home-manager NixOS module"
        else
          null;
      hostName = maybe (firstDefinition [ "networking" "hostName" ] defs);
      # the host's own package set: its nixpkgs (`pkgs.path`) and its `nixpkgs.*` settings,
      # or those of the package set it was given
      nixpkgs =
        if wholePkgs != null then
          {
            config = describe 4 (wholePkgs.config or { });
            overlays = map overlayNames (wholePkgs.overlays or [ ]) ++ (nixpkgsSettingsOf items).overlays;
            source = (externalOf (toString wholePkgs.path)).marker;
          }
        else
          removeAttrs (nixpkgsSettingsOf items) [ "pkgs_path" ] // { source = (externalOf (toString pkgs.path)).marker; };
    };

  # home-manager.* as the NixOS module would merge it, nested or dotted,
  # through mkIf/mkMerge/mkDefault
  homeManagerOf =
    label: sys: pkgs: hmModulesPath: hmDefs:
    let
      values = path: concatMap W.unwrap (W.lookupPath path hmDefs);
      userSets = values [ "users" ];
      userNames = attrNames (foldl' (acc: set: acc // set) { } userSets);
      userModules = u: concatMap W.unwrap (concatMap (set: if set ? ${u} then [ set.${u} ] else [ ]) userSets);
      sharedModules = concatLists (values [ "sharedModules" ]);
      extraSpecialArgs = foldl' (acc: set: acc // set) { } (values [ "extraSpecialArgs" ]);
      useGlobalPkgs = values [ "useGlobalPkgs" ];
      useUserPackages = values [ "useUserPackages" ];
      backupFileExtension = values [ "backupFileExtension" ];
      hmLabel = "${label} home-manager";
      args = {
        inherit (sys) lib;
        inherit pkgs;
        config = noConfig hmLabel;
        options = noOptions hmLabel;
        osConfig = noConfig "${hmLabel} (osConfig)";
        nixosConfig = noConfig "${hmLabel} (nixosConfig)";
        modulesPath = /. + hmModulesPath;
      }
      // extraSpecialArgs;
      shared = W.walk args "${label}/home-manager.sharedModules" sharedModules;
      itemsOf = u: W.walk args "${label}/home-manager.users.${u}" (sharedModules ++ userModules u);
    in
    {
      use_global_pkgs = if useGlobalPkgs == [ ] then null else head useGlobalPkgs;
      # what Home Manager imports when no module sets `_module.args.pkgsPath`: the host's nixpkgs
      default_pkgs_path = (externalOf (toString pkgs.path)).marker;
      use_user_packages = if useUserPackages == [ ] then null else head useUserPackages;
      backup_file_extension = if backupFileExtension == [ ] then null else head backupFileExtension;
      extra_special_args = attrNames extraSpecialArgs;
      described_args = describedArgs extraSpecialArgs;
      shared_external = W.externalsOf shared;
      users = listToAttrs (
        map (u: {
          name = u;
          value =
            let
              items = itemsOf u;
            in
            {
              modules = W.filesOf items;
              external = W.externalsOf items;
            };
        }) userNames
      );
      users_nixpkgs = listToAttrs (map (u: { name = u; value = nixpkgsSettingsOf (itemsOf u); }) userNames);
    };

  evalHome =
    label: hc:
    let
      args = {
        inherit (hc) lib pkgs;
        config = noConfig label;
        options = noOptions label;
        modulesPath = /. + hc.modulesPath;
      }
      // hc.extraSpecialArgs;
      items = W.walk args label hc.modules;
    in
    {
      modules = W.filesOf items;
      external = W.externalsOf items;
      extra_special_args = attrNames hc.extraSpecialArgs;
      described_args = describedArgs hc.extraSpecialArgs;
      # the package set the `pkgs` argument stands for: its nixpkgs, config and overlays
      pkgs = {
        source = if hc.pkgs ? path then (externalOf (toString hc.pkgs.path)).marker else null;
        config = describe 4 (hc.pkgs.config or { });
        overlays = map overlayNames (hc.pkgs.overlays or [ ]);
      };
      # the package set Home Manager builds from: homeManagerConfiguration adds the module
      # `{ nixpkgs.config = lib.mkDefault pkgs.config; nixpkgs.overlays = pkgs.overlays; }`
      # (before the modules, as the root of the configuration), and imports `pkgs.path`
      # unless a module sets `_module.args.pkgsPath`
      nixpkgs =
        let
          fromPkgs = {
            nixpkgs.config = {
              _type = "override";
              priority = 1000;
              content = hc.pkgs.config or { };
            };
            nixpkgs.overlays = hc.pkgs.overlays or [ ];
          };
          settings = nixpkgsSettingsOf ([ { result = fromPkgs; } ] ++ items);
        in
        settings
        // {
          pkgs_path =
            if settings.pkgs_path != null then
              settings.pkgs_path
            else if hc.pkgs ? path then
              (externalOf (toString hc.pkgs.path)).marker
            else
              null;
        };
    };

  virtualOutputs = map (f: "${f}Configurations") [
    "amazon" "azure" "cloudstack" "do" "gce" "hyperv" "install-iso-hyperv" "install-iso" "iso" "kexec"
    "kexec-bundle" "kubevirt" "lxc-metadata" "lxc" "openstack" "proxmox" "qcow" "raw" "raw-efi"
    "sd-aarch64-installer" "sd-aarch64" "vagrant-virtualbox" "virtualbox" "vm-bootloader" "vm-nogui" "vmware" "vm"
  ];
  isNixos = v: isAttrs v && v ? _hmMigrateNixos;
  isHome = v: isAttrs v && v ? _hmMigrateHome;
  expect =
    check: what: name: v:
    if check v then v else throw "tests/nix_stubs: ${what}.${name} is not what the stub's ${what} builder returns";

  fromFlake =
    let
      flakeFile = cfg.flake or "flake.nix";
      flake = import (repo + "/${flakeFile}");
      # a flake in a folder (nixos/flake.nix) is that folder of the repository
      flakeDir = builtins.dirOf (repoStr + "/${flakeFile}");
      self =
        outputs
        // {
          _type = "flake";
          outPath = flakeDir;
          sourceInfo.outPath = repoStr;
          inputs = stubs;
          inherit outputs;
        };
      outputs = flake.outputs (stubs // { inherit self; });
      # `nixosConfigurations` at the top, or else per system (`legacyPackages.<system>.homeConfigurations`
      # from flake-utils or a flake-parts perSystem), from the first system that has them.
      systemOrder = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      configurations =
        name:
        let
          perSystem = concatMap (
            holder:
            concatMap (
              system: if outputs ? ${holder} && outputs.${holder} ? ${system} && outputs.${holder}.${system} ? ${name} then [ outputs.${holder}.${system}.${name} ] else [ ]
            ) systemOrder
          ) [ "legacyPackages" "packages" ];
        in
        if outputs ? ${name} then outputs.${name} else if perSystem != [ ] then head perSystem else { };
    in
    {
      # snowfall-lib's nixos-generators systems (isoConfigurations, ...) are NixOS hosts too
      nixos = foldl' (acc: attribute: acc // mapAttrs (
        name: v: removeAttrs (evalHost "${attribute}.${name}" (expect isNixos attribute name v)) [ "hostName" ]
      ) (configurations attribute)) { } ([ "nixosConfigurations" ] ++ filter (a: elem a virtualOutputs) (attrNames outputs));
      home = mapAttrs (
        name: v: evalHome "homeConfigurations.${name}" (expect isHome "homeConfigurations" name v)
      ) (configurations "homeConfigurations");
    };

  # Entry files: the top-level configuration.nix / home.nix, or the ones the caller names
  # (a per-host channels setup: `nixos-rebuild -I nixos-config=hosts/x/configuration.nix`).
  channelHosts = cfg.channelHosts or (
    if pathExists (repo + "/configuration.nix") then [ { name = "nixos"; path = "configuration.nix"; } ] else [ ]
  );
  channelHomes = cfg.channelHomes or (
    if pathExists (repo + "/home.nix") then [ { name = "home"; path = "home.nix"; } ] else [ ]
  );

  fromChannels = {
    nixos = listToAttrs (
      map (
        entry:
        let
          host = evalHost entry.path (
            stubs.nixpkgs.lib.nixosSystem { modules = [ (repo + "/${entry.path}") ]; }
          );
        in
        {
          # NixOS's own default is "nixos"; the caller's name stands in for it
          name = if host.hostName != null then host.hostName else entry.name;
          value = removeAttrs host [ "hostName" ];
        }
      ) channelHosts
    );
    home = listToAttrs (
      map (entry: {
        inherit (entry) name;
        value = evalHome entry.path (
          stubs.home-manager.lib.homeManagerConfiguration {
            # what standalone home-manager does: `import <nixpkgs> { }`
            pkgs = stubs.nixpkgs._pkgsFn { };
            modules = [ (repo + "/${entry.path}") ];
          }
        );
      }) channelHomes
    );
  };
in
if cfg.mode == "flake" then fromFlake else fromChannels
