{
  config,
  pkgs,
  ...
}:
{
  age.secrets.dana-password.file = ../../../../secrets/dana-password.age;

  users.users.dana = {
    description = "Dana Okafor";
    isNormalUser = true;
    shell = pkgs.fish;
    hashedPasswordFile = config.age.secrets.dana-password.path;
    extraGroups = [
      "wheel"
      "networkmanager"
      "video"
      "audio"
      # "docker"
    ];
    openssh.authorizedKeys.keyFiles = [ ../../../../keys/dana.pub ];
  };
}
