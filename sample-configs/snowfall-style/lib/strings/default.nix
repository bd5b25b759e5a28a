{ lib, namespace, ... }:
{
  # "juniper" -> "Juniper", for prompts and greeters
  capitalise = s: lib.toUpper (lib.substring 0 1 s) + lib.substring 1 (-1) s;

  banner = host: "${namespace}@${host}";
}
