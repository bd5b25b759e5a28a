# Which modules a configuration evaluates, found the way lib.evalModules finds
# them, without merging a single option:
#   - a path (or absolute path string) is imported; a directory means its
#     default.nix; paths are deduplicated by file, like the module system's keys;
#   - a function is called with exactly the arguments it names
#     (builtins.functionArgs), as the module system does, so asking for an
#     argument nobody provides fails only if the value is used;
#   - the result's `imports` are walked in turn.
# Paths outside the repository and stub markers (`agenix.nixosModules.default`)
# are recorded as external and never evaluated.
{
  repoStr,
  # absolute path string outside the repo -> { marker, hmNixosModule, hmModulesPath }
  externalOf,
}:
let
  inherit (builtins)
    attrNames
    concatMap
    filter
    functionArgs
    genList
    head
    intersectAttrs
    isAttrs
    isFunction
    isList
    isPath
    isString
    length
    listToAttrs
    stringLength
    substring
    typeOf
    unsafeGetAttrPos
    ;

  hasPrefix = pre: s: substring 0 (stringLength pre) s == pre;
  inRepo = s: hasPrefix (repoStr + "/") s;
  relName = s: substring (stringLength repoStr + 1) (stringLength s) s;
  imap0 = f: list: genList (n: f n (builtins.elemAt list n)) (length list);

  callModule =
    args: where: m:
    if isFunction m then
      let
        formals = functionArgs m;
        required = filter (n: !formals.${n}) (attrNames formals);
        unprovided = listToAttrs (
          map (n: {
            name = n;
            value = throw "tests/nix_stubs: ${where} asks for module argument `${n}`, which nothing provides";
          }) required
        );
      in
      m (unprovided // intersectAttrs formals args)
    else
      m;

  # An inline module has no file. When it is the whole value of a repo file
  # (`users.noor = import ./modules/home`), the module system would still
  # evaluate that file, so name it: its attributes must sit at the positions
  # `import FILE` puts them. A helper in FILE returning a module fails that test.
  anonymousFile =
    args: m: result:
    let
      names = attrNames result;
      probe =
        if result ? imports then
          "imports"
        else if names == [ ] then
          null
        else
          head names;
      pos = if probe == null then null else unsafeGetAttrPos probe result;
      top = import (/. + pos.file);
      same =
        if isFunction m then
          isFunction top
          && functionArgs top == functionArgs m
          && (
            let
              again = callModule args pos.file top;
            in
            isAttrs again && unsafeGetAttrPos probe again == pos
          )
        else
          isAttrs top && unsafeGetAttrPos probe top == pos;
    in
    if isAttrs result && pos != null && inRepo pos.file && same then relName pos.file else null;

  external = info: { key = "external:${info.marker}"; } // info;

  item =
    args: parentKey: index: m:
    if isPath m || (isString m && hasPrefix "/" m) then
      let
        s = toString m;
        file = if builtins.pathExists (s + "/default.nix") then s + "/default.nix" else s;
      in
      if inRepo s then
        {
          key = "file:${file}";
          file = relName file;
          result = callModule args (relName file) (import (/. + file));
        }
      else
        external (externalOf s)
    else if isAttrs m && m ? _hmMigrateStub then
      external {
        marker = m._hmMigrateStub;
        hmNixosModule = m.hmNixosModule or false;
        hmModulesPath = m.hmModulesPath or null;
      }
    else if isFunction m || isAttrs m then
      let
        where = "${parentKey}#${toString index}";
        result = callModule args "inline module ${where}" m;
      in
      {
        key = where;
        file = anonymousFile args m result;
        inherit result;
      }
    else
      throw "tests/nix_stubs: ${parentKey}: a module cannot be a ${typeOf m}";

  importsOf =
    it:
    if isAttrs it.result && it.result ? imports then
      (
        if isList it.result.imports then
          it.result.imports
        else
          throw "tests/nix_stubs: ${it.key}: `imports` is a ${typeOf it.result.imports}, not a list"
      )
    else
      [ ];

  # Tagged values of the real lib (mkIf, mkMerge, mkOverride, mkOrder):
  # `lookupKey` reads attribute `k` through them and evaluates a condition
  # only when its content defines `k`, so an unrelated `mkIf config.x` stays
  # unevaluated, as laziness would leave it in the real module system.
  lookupKey =
    k: v:
    let
      tag = if isAttrs v then v._type or null else null;
    in
    if !(isAttrs v) then
      [ ]
    else if tag == "if" then
      (
        let
          inner = lookupKey k v.content;
        in
        if inner == [ ] then
          [ ]
        else if v.condition then
          inner
        else
          [ ]
      )
    else if tag == "merge" then
      concatMap (lookupKey k) v.contents
    else if tag == "override" || tag == "order" then
      lookupKey k v.content
    else if v ? ${k} then
      [ v.${k} ]
    else
      [ ];
in
rec {
  inherit lookupKey callModule;

  walk =
    args: rootKey: modules:
    builtins.genericClosure {
      startSet = imap0 (item args rootKey) modules;
      operator = it: if it ? result then imap0 (item args it.key) (importsOf it) else [ ];
    };

  # the definitions a module makes, as the module system separates them from
  # `imports`/`options`
  configOf =
    result:
    if !(isAttrs result) then
      { }
    else if result ? config || result ? options then
      result.config or { }
    else
      result;

  lookupPath = path: values: builtins.foldl' (vs: k: concatMap (lookupKey k) vs) values path;

  # a final value without its tags: mkDefault true -> [ true ]; mkIf false x -> [ ]
  unwrap =
    v:
    let
      tag = if isAttrs v then v._type or null else null;
    in
    if tag == "if" then
      (if v.condition then unwrap v.content else [ ])
    else if tag == "merge" then
      concatMap unwrap v.contents
    else if tag == "override" || tag == "order" then
      unwrap v.content
    else
      [ v ];

  sortedUnique = list: attrNames (listToAttrs (map (x: { name = x; value = null; }) list));
  filesOf = items: sortedUnique (concatMap (it: if (it.file or null) != null then [ it.file ] else [ ]) items);
  externalsOf = items: sortedUnique (concatMap (it: if it ? marker then [ it.marker ] else [ ]) items);
}
