# Stand-in for import-tree, written from scratch for tests/flake_eval.py: applied to a
# folder (or a list of them), a module importing every .nix file below it whose path
# has no component starting with `_`.
{ name }:
let
  inherit (builtins) attrNames concatMap filter isList readDir stringLength substring;
  hasPrefix = pre: s: substring 0 (stringLength pre) s == pre;
  hasSuffix = suf: s: let l = stringLength s; n = stringLength suf; in l >= n && substring (l - n) n s == suf;
  files =
    dir:
    let
      entries = readDir dir;
    in
    concatMap (
      n:
      if hasPrefix "_" n then
        [ ]
      else if entries.${n} == "directory" then
        files (dir + "/${n}")
      else if hasSuffix ".nix" n then
        [ (dir + "/${n}") ]
      else
        [ ]
    ) (attrNames entries);
in
{
  __functor = _self: roots: { imports = concatMap files (if isList roots then roots else [ roots ]); };
}
