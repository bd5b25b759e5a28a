# Stand-in for flake-parts' `lib.mkFlake`, written from scratch for tests/flake_eval.py.
#
# mkFlake is a module evaluation: the top module and what it imports (files once,
# by path) are called with the module arguments, their definitions merged into
# `config`, and `config.flake` (plus perSystem's outputs, per system) is the flake.
# The merge is the part a flake needs, not the option types: sets merge attribute
# by attribute, lists concatenate, several function or path definitions of one
# name (deferred modules: perSystem, flake.modules.<class>.<name>) are gathered as
# `imports`; mkIf / mkMerge / mkOverride of the stub lib are honoured. Modules from
# inputs (the stubs' markers) add nothing. Anything else fails loudly.
{ name }:
let
  inherit (builtins)
    all
    any
    attrNames
    concatMap
    elem
    filter
    foldl'
    genericClosure
    genList
    head
    isAttrs
    isFunction
    isList
    isPath
    isString
    length
    listToAttrs
    map
    ;

  isMarker = v: isAttrs v && v ? _hmMigrateStub;
  typeOf = v: if isAttrs v then v._type or null else null;

  # Definitions of one value as [ { priority; value; } ], through the stub lib's wrappers.
  definitions =
    priority: v:
    if typeOf v == "if" then
      (if v.condition then definitions priority v.content else [ ])
    else if typeOf v == "merge" then
      concatMap (definitions priority) v.contents
    else if typeOf v == "override" then
      definitions v.priority v.content
    else if typeOf v == "order" then
      definitions priority v.content
    else
      [ { inherit priority; value = v; } ];

  isModuleValue = v: isFunction v || isPath v || (isAttrs v && !(v ? _type));

  # The merge of several definitions of one name (already unwrapped).
  mergeValues =
    defs:
    let
      best = foldl' (m: d: if d.priority < m then d.priority else m) 1000000 defs;
      values = map (d: d.value) (filter (d: d.priority == best) defs);
    in
    if values == [ ] then
      throw "tests/nix_stubs/flake-parts: every definition is disabled"
    else if length values == 1 then
      head values
    else if all isList values then
      concatMap (v: v) values
    else if all (v: isAttrs v && !(v ? _type)) values then
      mergeSets values
    else if all isModuleValue values then
      { imports = values; }
    else
      throw "tests/nix_stubs/flake-parts: conflicting definitions";

  mergeSets =
    sets:
    let
      names = attrNames (foldl' (acc: s: acc // s) { } sets);
      defsOf = n: concatMap (s: if s ? ${n} then definitions 100 s.${n} else [ ]) sets;
    in
    listToAttrs (
      map (n: {
        name = n;
        value = mergeValues (defsOf n);
      }) names
    );

  # `config` of a module list: every module's definitions, merged.
  evalModules =
    {
      modules,
      args,
    }:
    let
      item = parent: index: m: rec {
        file = isPath m || isString m;
        key = if file then toString m else "${parent}/${toString index}";
        value = if file then import m else m;
        result =
          if isMarker value then
            { }
          else if isFunction value then
            callModule value
          else
            value;
      };
      # As the module system does: the names a function asks for, each looked up
      # lazily in the arguments, then in `_module.args` (a default stays a default).
      callModule =
        f:
        let
          wanted = builtins.functionArgs f;
          fromConfig = filter (n: !(args ? ${n}) && !wanted.${n} && n != "config") (attrNames wanted);
        in
        f (
          args
          // listToAttrs (map (n: { name = n; value = config._module.args.${n}; }) fromConfig)
          // { inherit config; }
        );
      imported =
        it:
        let
          list = if isAttrs it.result then it.result.imports or [ ] else [ ];
        in
        genList (i: item it.key i (builtins.elemAt list i)) (length list);
      closure = genericClosure {
        startSet = genList (i: item "root" i (builtins.elemAt modules i)) (length modules);
        operator = imported;
      };
      defsOf =
        r:
        if !isAttrs r then
          throw "tests/nix_stubs/flake-parts: a module is not a set"
        else if r ? config || r ? options then
          r.config or { }
        else
          removeAttrs r [ "imports" "_file" "key" "disabledModules" "_class" ];
      config = mergeSets (concatMap (it: map (d: d.value) (definitions 100 (defsOf it.result))) closure);
    in
    config;

  transposed = [ "packages" "legacyPackages" "devShells" "apps" "checks" "formatter" ];

  mkFlake =
    mkFlakeArgs: topModule:
    let
      inputs = mkFlakeArgs.inputs;
      lib = inputs.nixpkgs.lib;
      self = inputs.self or flake;
      topArgs = {
        inherit inputs self lib withSystem getSystem;
        flake-parts-lib = throw "tests/nix_stubs/flake-parts: flake-parts-lib is not stubbed";
        options = throw "tests/nix_stubs/flake-parts: options are not evaluated";
      }
      // (mkFlakeArgs.specialArgs or { });
      config = evalModules {
        modules = [ topModule ];
        args = topArgs;
      };
      systems = config.systems or [ ];

      perSystem =
        system:
        let
          pkgsDefault = inputs.nixpkgs.legacyPackages.${system};
          args = {
            inherit inputs self lib system;
            pkgs = perSystemConfig._module.args.pkgs or pkgsDefault;
            inputs' = builtins.mapAttrs (_: input: perSystemOf input system) (removeAttrs inputs [ "self" ]);
            self' = perSystemOf flake system;
            options = throw "tests/nix_stubs/flake-parts: perSystem options are not evaluated";
          };
          perSystemConfig = evalModules {
            modules = if config ? perSystem then [ config.perSystem ] else [ ];
            inherit args;
          };
        in
        {
          config = perSystemConfig;
          args = args // (perSystemConfig._module.args or { }) // { config = perSystemConfig; };
        };
      perSystemOf =
        input: system:
        listToAttrs (
          concatMap (
            attr:
            if isAttrs input && input ? ${attr} && isAttrs input.${attr} && input.${attr} ? ${system} then
              [ { name = attr; value = input.${attr}.${system}; } ]
            else
              [ ]
          ) transposed
        );
      withSystem = system: f: f (perSystem system).args;
      getSystem = system: (perSystem system).config;

      fromPerSystem = listToAttrs (
        concatMap (
          attr:
          let
            present = filter (s: (perSystem s).config ? ${attr}) systems;
          in
          if present == [ ] then
            [ ]
          else
            [
              {
                name = attr;
                value = listToAttrs (map (s: { name = s; value = (perSystem s).config.${attr}; }) present);
              }
            ]
        ) transposed
      );
      flake = fromPerSystem // (config.flake or { });
    in
    flake;
in
{
  lib.mkFlake = mkFlake;
}
