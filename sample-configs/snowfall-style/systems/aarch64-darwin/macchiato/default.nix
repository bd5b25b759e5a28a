# macchiato: the work MacBook, nix-darwin.
{ pkgs, namespace, ... }:
{
  ${namespace}.dock.apps = [ "/Applications/Firefox.app" "/System/Applications/Mail.app" ];

  services.nix-daemon.enable = true;
  system.stateVersion = 5;
}
