# Shared by every home configuration (alice and bob, every host).
{
  imports = [
    ./nixpkgs.nix
    ./shell.nix
    ./git.nix
    ./cli.nix
  ];

  programs.home-manager.enable = true;

  # Nicely reload system units when changing configs
  systemd.user.startServices = "sd-switch";

  news.display = "silent";
}
