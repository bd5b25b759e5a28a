{ vars, ... }:

{
  virtualisation.docker = {
    enable = true;
    enableOnBoot = false;  # socket activation is enough, saves ~1s of boot
    autoPrune = {
      enable = true;
      dates = "weekly";
    };
  };

  # yes, this is root-equivalent. I know.
  users.users.${vars.username}.extraGroups = [ "docker" ];
}
