{ lib }:
{
  atlas = lib.my.mkSystem { name = "atlas"; };
  borealis = lib.my.mkSystem {
    name = "borealis";
    extraModules = [ { services.tlp.enable = true; } ];  # the ThinkPad
  };
}
