# agenix rules: which keys can decrypt which secret.
# This file is read by the `agenix` CLI only, never by a configuration.
#   cd secrets && agenix -e dana-password.age
let
  dana = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0n2b7Y2ZbYw2m1c0Fq1r8wq8d4x5l4Q7vJb0N2s1K dana@forge";

  forge   = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF0rG3e8JmJt3n6oS0bqgYgG2d3i8j9h0T3xk1vW5mPq root@forge";
  kestrel = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7kq8Zt4o2Vf6xK9qP1m0nS3a5d7c9e1g3h5j7l9n1p root@kestrel";
  shard   = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKd2x4c6v8b0n2m4q6w8e0r2t4y6u8i0o2p4a6s8d0f2 root@shard";
  pebble  = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM1n3b5v7c9x1z3l5k7j9h1g3f5d7s9a1q3w5e7r9t1y root@pebble";

  hosts = [ forge kestrel shard pebble ];
in
{
  "dana-password.age".publicKeys = [ dana ] ++ hosts;
  "gh-token.age".publicKeys = [ dana ];
  "tailscale-authkey.age".publicKeys = [ dana pebble shard ];
}
