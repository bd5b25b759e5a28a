{ ... }:
{
  imports = [
    ./nix.nix
    ./desktop.nix
  ];

  time.timeZone = "Europe/Berlin";
  i18n.defaultLocale = "de_DE.UTF-8";
  console.keyMap = "de";

  networking.networkmanager.enable = true;

  users.users.maren = {
    isNormalUser = true;
    description = "Maren";
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq9m2d6a0p4Jx1cV8fRr3kYwQ7sLbN5eT2uZ0oG4hMi maren@plover"
    ];
  };
}
