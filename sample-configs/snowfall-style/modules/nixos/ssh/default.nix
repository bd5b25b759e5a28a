{ config, lib, namespace, ... }:
let cfg = config.${namespace}.ssh;
in {
  options.${namespace}.ssh.enable = lib.mkEnableOption "OpenSSH, keys only";

  config = lib.mkIf cfg.enable {
    services.openssh = {
      enable = true;
      settings.PasswordAuthentication = false;
      settings.PermitRootLogin = "prohibit-password";
    };
  };
}
