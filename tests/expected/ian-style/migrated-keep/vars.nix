# Things I'd otherwise repeat in five places.
# Imported by flake.nix and handed to every module as `vars`.
{
  username = "tomas";
  fullName = "Tomáš Novák";
  email    = "tomas.novak@posteo.net";
  hostname = "kestrel";
  timezone = "Europe/Prague";
  locale   = "en_US.UTF-8";

  # flip to false on a machine where I don't want the docker daemon
  docker   = true;
}
