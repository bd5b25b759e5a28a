# The one module of mine someone else uses (Marta, on her NAS), exported as
# nixosModules.default. Nightly upgrade from a flake, like system.autoUpgrade,
# except it waits while anyone has a session open: an upgrade restarting
# sshd under a half-typed command was the last straw.
{ config, lib, pkgs, ... }:
let
  cfg = config.services.polite-upgrade;
in
{
  options.services.polite-upgrade = {
    enable = lib.mkEnableOption "nightly nixos-rebuild from a flake, skipped while users are logged in";

    flake = lib.mkOption {
      type = lib.types.str;
      default = "github:ana-kovac/dotfiles";
      description = "Flake to rebuild from; the host's name is appended.";
    };

    dates = lib.mkOption {
      type = lib.types.str;
      default = "03:40";
    };
  };

  config = lib.mkIf cfg.enable {
    system.autoUpgrade = {
      enable = true;
      flake = "${cfg.flake}#${config.networking.hostName}";
      inherit (cfg) dates;
      randomizedDelaySec = "20min";
      allowReboot = false;
    };

    # exit 1 from ExecCondition skips this run without marking the unit failed
    systemd.services.nixos-upgrade.serviceConfig.ExecCondition = pkgs.writeShellScript "nobody-logged-in" ''
      [ -z "$(${pkgs.systemd}/bin/loginctl list-sessions --no-legend)" ]
    '';
  };
}
