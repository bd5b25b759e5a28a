{ lib }:
{
  cinder = lib.my.mkSystem {
    name = "cinder";
    system = "aarch64-linux";
  };
}
