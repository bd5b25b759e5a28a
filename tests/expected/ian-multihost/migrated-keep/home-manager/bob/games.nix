{pkgs, ...}: {
  home.packages = with pkgs; [
    prismlauncher
    superTuxKart
    # steam is system-wide on nimbus only, bob plays on the laptop
  ];
}
