{ pkgs, ... }:

{
  programs.fish = {
    enable = true;
    interactiveShellInit = ''
      set fish_greeting   # no greeting
      fish_vi_key_bindings
    '';
    shellAbbrs = {
      g    = "git";
      gs   = "git status -sb";
      nrs  = "nh os switch";
      hms  = "nh home switch";
      ll   = "eza -l --git";
      ".." = "cd ..";
    };
    functions = {
      mkcd = "mkdir -p $argv[1]; and cd $argv[1]";
    };
  };

  programs.starship = {
    enable = true;
    enableFishIntegration = true;
    settings = {
      add_newline = false;
      character = {
        success_symbol = "[λ](bold green)";
        error_symbol   = "[λ](bold red)";
      };
      nix_shell.format = "via [$symbol$state]($style) ";
      gcloud.disabled = true;
    };
  };

  programs.eza = { enable = true; icons = "auto"; git = true; };
  programs.zoxide.enable = true;
  programs.fzf.enable = true;
  programs.bat = { enable = true; config.theme = "ansi"; };
  programs.direnv = {
    enable = true;
    nix-direnv.enable = true;
  };
}
