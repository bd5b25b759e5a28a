{
  # Reusable pieces, also handy for other flakes:
  #   imports = [ inputs.sams-dots.homeModules.sam ];
  flake.homeModules = {
    sam = ../users/sam;
    desktop = ../users/sam/desktop.nix;
    admin = ../users/admin;
  };

  flake.nixosModules = {
    common = ../nixos/common.nix;
    desktop = ../nixos/desktop.nix;
  };
}
