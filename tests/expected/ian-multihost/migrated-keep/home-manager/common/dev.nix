{pkgs, ...}: {
  programs.direnv = {
    enable = true;
    nix-direnv.enable = true;
    config.global.hide_env_diff = true;
  };
  programs.gh = {
    enable = true;
    settings.git_protocol = "ssh";
  };
  home.packages = with pkgs; [
    just
    nil
    alejandra
    unstable.devenv # newer than 24.11's
  ];
}
