# tomasz: my brother's Arch laptop. Standalone only:
#   home-manager switch --flake github:rlindqvist/dots#tomasz
{ lib, pkgs, ... }:
{
	targets.genericLinux.enable = true;

	programs.git = {
		userName = "Tomasz Lindqvist";
		userEmail = "tomasz@lindqvist.example";
	};

	# he wants fish, not zsh
	programs.zsh.enable = lib.mkForce false;
	programs.fish.enable = true;

	home.packages = with pkgs; [ spotify discord ];

	home.stateVersion = "24.11";
}
