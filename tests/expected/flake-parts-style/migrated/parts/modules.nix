{
  # Reusable pieces, also handy for other flakes:
  #   imports = [ inputs.sams-dots.homeModules.sam ];
  flake.homeModules = {
    sam = ../modules/home/sam;
    desktop = ../modules/home/sam/desktop.nix;
    admin = ../modules/home/admin;
  };

  flake.nixosModules = {
    common = ../modules/nixos/nixos/common.nix;
    desktop = ../modules/nixos/nixos/desktop.nix;
  };
}
