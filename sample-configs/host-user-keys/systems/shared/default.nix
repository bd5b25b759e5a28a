{ pkgs, ... }:
{
  imports = [ ./people.nix ];

  nix.settings.experimental-features = [ "nix-command" "flakes" ];
  time.timeZone = "Europe/Budapest";
  environment.systemPackages = [ pkgs.vim ];
  system.stateVersion = "24.11";
}
