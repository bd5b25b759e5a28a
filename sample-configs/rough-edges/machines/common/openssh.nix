{ lib, ... }:
{
  services.openssh = {
    enable = true;
    settings = {
      PasswordAuthentication = false;
      KbdInteractiveAuthentication = false;
      # heron overrides this: it has no other user to log in as
      PermitRootLogin = lib.mkDefault "no";
    };
  };

  # mosh because the wifi in the flat drops every time the microwave runs
  programs.mosh.enable = true;
}
