# Stand-in for nixpkgs' `lib`, written from scratch for tests/flake_eval.py.
#
# It covers what module headers, `imports` lists and flake-level code use to
# decide *which* modules exist. Option values are never merged, so the
# mk* helpers only build the same tagged attribute sets the real lib builds
# (`_type = "if"`, ...), which the walker looks through. Anything missing
# here fails with "attribute '...' missing", on purpose: a silent guess would
# defeat an equivalence check.
{
  # where `nixpkgs + "/nixos/modules"` points, so modulesPath stays outside the repo
  nixpkgsPath,
  # `import nixpkgs { ... }` of the same stub, for nixosSystem's pkgs
  pkgsFn,
}:
let
  inherit (builtins)
    attrNames
    concatMap
    concatStringsSep
    elem
    filter
    foldl'
    genList
    isAttrs
    isList
    length
    listToAttrs
    readDir
    replaceStrings
    stringLength
    substring
    ;

  makeLib =
    self:
    {
      inherit (builtins)
        add
        all
        any
        attrNames
        attrValues
        concatLists
        concatMap
        concatStringsSep
        deepSeq
        elem
        elemAt
        filter
        foldl'
        fromJSON
        functionArgs
        genList
        getAttr
        hasAttr
        head
        intersectAttrs
        isAttrs
        isBool
        isFunction
        isInt
        isList
        isPath
        isString
        length
        listToAttrs
        map
        mapAttrs
        match
        pathExists
        readDir
        readFile
        removeAttrs
        replaceStrings
        seq
        sort
        split
        splitVersion
        stringLength
        substring
        tail
        toJSON
        toString
        tryEval
        typeOf
        ;

      # trivial
      id = x: x;
      const = x: _: x;
      flip = f: a: b: f b a;
      pipe = foldl' (x: f: f x);
      fix = f: let x = f x; in x;
      # overlays in turn, each one's `prev` holding what the earlier ones added
      composeExtensions =
        f: g: final: prev:
        let
          fApplied = f final prev;
        in
        fApplied // g final (prev // fApplied);
      composeManyExtensions = builtins.foldl' self.composeExtensions (_final: _prev: { });
      isType = type: x: isAttrs x && (x._type or null) == type;
      versionAtLeast = a: b: builtins.compareVersions a b >= 0;
      versionOlder = a: b: builtins.compareVersions a b < 0;
      boolToString = b: if b then "true" else "false";

      # lists
      optional = cond: elem: if cond then [ elem ] else [ ];
      optionals = cond: elems: if cond then elems else [ ];
      toList = x: if isList x then x else [ x ];
      flatten = x: if isList x then concatMap self.flatten x else [ x ];
      unique = foldl' (acc: e: if elem e acc then acc else acc ++ [ e ]) [ ];
      last = list: builtins.elemAt list (length list - 1);
      init = list: genList (builtins.elemAt list) (length list - 1);
      range = first: last: if first > last then [ ] else genList (n: first + n) (last - first + 1);
      imap0 = f: list: genList (n: f n (builtins.elemAt list n)) (length list);
      imap1 = f: list: genList (n: f (n + 1) (builtins.elemAt list n)) (length list);
      forEach = xs: f: map f xs;
      foldr = op: nul: list: foldl' (acc: x: op x acc) nul (self.reverseList list);
      reverseList = list: let l = length list; in genList (n: builtins.elemAt list (l - n - 1)) l;
      findFirst = pred: default: list: let found = filter pred list; in if found == [ ] then default else builtins.head found;
      remove = e: filter (x: x != e);
      subtractLists = e: filter (x: !(elem x e));
      intersectLists = e: filter (x: elem x e);
      count = pred: list: length (filter pred list);

      # attrsets
      optionalAttrs = cond: as: if cond then as else { };
      genAttrs = names: f: listToAttrs (map (n: { name = n; value = f n; }) names);
      nameValuePair = name: value: { inherit name value; };
      filterAttrs =
        pred: set:
        listToAttrs (
          concatMap (name: let v = set.${name}; in if pred name v then [ { inherit name; value = v; } ] else [ ]) (
            attrNames set
          )
        );
      mapAttrs' = f: set: listToAttrs (map (name: f name set.${name}) (attrNames set));
      mergeAttrs = a: b: a // b;
      mergeAttrsList = foldl' (acc: set: acc // set) { };
      mapAttrsToList = f: set: map (name: f name set.${name}) (attrNames set);
      attrsToList = set: map (name: { inherit name; value = set.${name}; }) (attrNames set);
      concatMapAttrs = f: set: foldl' (acc: name: acc // f name set.${name}) { } (attrNames set);
      recursiveUpdate =
        lhs: rhs:
        lhs
        // builtins.mapAttrs (
          name: value:
          if isAttrs value && isAttrs (lhs.${name} or null) then self.recursiveUpdate lhs.${name} value else value
        ) rhs;
      attrByPath =
        path: default: set:
        if path == [ ] then
          set
        else if isAttrs set && set ? ${builtins.head path} then
          self.attrByPath (builtins.tail path) default set.${builtins.head path}
        else
          default;
      getAttrFromPath = path: set: foldl' (s: n: s.${n}) set path;
      hasAttrByPath = path: set: self.attrByPath path null set != null;
      setAttrByPath =
        path: value:
        if path == [ ] then value else { ${builtins.head path} = self.setAttrByPath (builtins.tail path) value; };
      foldAttrs = op: nul: list: foldl' (acc: set: acc // builtins.mapAttrs (n: v: op v (acc.${n} or nul)) set) { } list;

      # strings
      hasPrefix = pref: str: substring 0 (stringLength pref) str == pref;
      hasSuffix =
        suffix: content:
        let
          lc = stringLength content;
          ls = stringLength suffix;
        in
        lc >= ls && substring (lc - ls) ls content == suffix;
      hasInfix = infix: content: length (builtins.split (self.escapeRegex infix) content) > 1;
      removePrefix =
        pref: str:
        if self.hasPrefix pref str then substring (stringLength pref) (stringLength str) str else str;
      removeSuffix =
        suffix: str:
        if self.hasSuffix suffix str then substring 0 (stringLength str - stringLength suffix) str else str;
      escapeRegex =
        let
          special = self.stringToCharacters "\\[{()^$?*+|.";
        in
        replaceStrings special (map (c: "\\" + c) special);
      stringToCharacters = s: genList (p: substring p 1 s) (stringLength s);
      splitString = sep: s: filter builtins.isString (builtins.split (self.escapeRegex sep) s);
      concatStrings = concatStringsSep "";
      concatMapStrings = f: list: concatStringsSep "" (map f list);
      concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
      optionalString = cond: s: if cond then s else "";
      toLower = replaceStrings self.upperChars self.lowerChars;
      toUpper = replaceStrings self.lowerChars self.upperChars;
      lowerChars = self.stringToCharacters "abcdefghijklmnopqrstuvwxyz";
      upperChars = self.stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
      fileContents = file: self.removeSuffix "\n" (builtins.readFile file);

      # the module system: tagged values, as the real lib builds them
      mkIf = condition: content: { _type = "if"; inherit condition content; };
      mkMerge = contents: { _type = "merge"; inherit contents; };
      mkOverride = priority: content: { _type = "override"; inherit priority content; };
      mkOptionDefault = self.mkOverride 1500;
      mkDefault = self.mkOverride 1000;
      mkImageMediaOverride = self.mkOverride 60;
      mkForce = self.mkOverride 50;
      mkVMOverride = self.mkOverride 10;
      mkOrder = priority: content: { _type = "order"; inherit priority content; };
      mkBefore = self.mkOrder 500;
      mkAfter = self.mkOrder 1500;
      mkOption = attrs: attrs // { _type = "option"; };
      mkEnableOption = name: self.mkOption { default = false; description = "Whether to enable ${name}."; type = self.types.bool; };
      mkPackageOption = _pkgs: name: attrs: self.mkOption (attrs // { description = "The ${toString name} package to use."; });
      literalExpression = text: { _type = "literalExpression"; inherit text; };
      literalMD = text: { _type = "literalMD"; inherit text; };
      mdDoc = s: s;
      types =
        let
          leaf = name: { _type = "option-type"; inherit name; };
          wrap = name: arg: { _type = "option-type"; inherit name; nested = arg; };
          two = name: a: b: { _type = "option-type"; inherit name; nested = [ a b ]; };
        in
        builtins.listToAttrs (
          map (n: { name = n; value = leaf n; }) [
            "anything" "attrs" "bool" "float" "int" "lines" "number" "package" "path" "port"
            "raw" "str" "unspecified" "commas" "envVar" "nonEmptyStr" "singleLineStr" "pathInStore"
            "shellPackage" "deferredModule"
          ]
        )
        // {
          ints = { unsigned = leaf "ints.unsigned"; positive = leaf "ints.positive"; u8 = leaf "ints.u8"; u16 = leaf "ints.u16"; u32 = leaf "ints.u32"; between = two "ints.between"; };
          listOf = wrap "listOf";
          attrsOf = wrap "attrsOf";
          lazyAttrsOf = wrap "lazyAttrsOf";
          nullOr = wrap "nullOr";
          uniq = wrap "uniq";
          unique = _: wrap "unique";
          enum = wrap "enum";
          submodule = wrap "submodule";
          submoduleWith = wrap "submoduleWith";
          functionTo = wrap "functionTo";
          strMatching = wrap "strMatching";
          separatedString = wrap "separatedString";
          either = two "either";
          coercedTo = a: _f: b: two "coercedTo" a b;
          oneOf = wrap "oneOf";
        };

      # `lib.filesystem.listFilesRecursive ./modules` is a common way to fill `imports`
      filesystem.listFilesRecursive =
        dir:
        concatMap (
          name:
          let
            type = (readDir dir).${name};
            path = dir + "/${name}";
          in
          if type == "directory" then self.filesystem.listFilesRecursive path else [ path ]
        ) (attrNames (readDir dir));

      systems.flakeExposed = [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
        "armv6l-linux"
        "armv7l-linux"
        "i686-linux"
        "powerpc64le-linux"
        "riscv64-linux"
        "x86_64-freebsd"
      ];

      # A record of what the real function would evaluate; the harness walks
      # `modules` itself. extendModules stacks modules/specialArgs the way the
      # real one does, so `base.extendModules { modules = [ ... ]; }` hosts work.
      nixosSystem =
        args:
        let
          record = {
            _hmMigrateNixos = true;
            modules = (args.extraModules or [ ]) ++ (args.modules or [ ]);
            specialArgs = args.specialArgs or { };
            system = args.system or null;
            lib = args.lib or self;
            inherit pkgsFn;
            # nixosSystem { pkgs }: eval-config.nix forces the modules' `pkgs` to it
            givenPkgs = args.pkgs or null;
            modulesPath = nixpkgsPath + "/nixos/modules";
            extendModules =
              {
                modules ? [ ],
                specialArgs ? { },
                ...
              }:
              self.nixosSystem (
                args
                // {
                  modules = (args.modules or [ ]) ++ modules;
                  specialArgs = (args.specialArgs or { }) // specialArgs;
                }
              );
            config = throw "tests/nix_stubs: nixosSystem stub has no config (the harness does not merge options)";
            options = throw "tests/nix_stubs: nixosSystem stub has no options";
            pkgs = throw "tests/nix_stubs: nixosSystem stub has no pkgs";
          };
        in
        record;
    }
    # the sub-namespaces real code reaches through (`lib.lists.optional`, ...)
    // {
      lists = self;
      strings = self;
      attrsets = self;
      trivial = self;
      modules = self;
      options = self;
    };

  extends = overlay: f: final: let prev = f final; in prev // overlay final prev;
  libFrom = mk: let self = mk self // { extend = f: libFrom (extends f mk); }; in self;
in
libFrom makeLib
