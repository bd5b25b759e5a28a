{ pkgs, ... }:
{
	# The Steam Deck's default user. SteamOS resets / on updates, but /home and
	# /nix (via the nix installer's bind mount) survive.
	programs.git = {
		userName = "Dana Okafor";
		userEmail = "dana@okafor.example";
	};

	home.packages = with pkgs; [
		protonup-qt
		ludusavi
	];
}
