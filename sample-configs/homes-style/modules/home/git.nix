{ lib, ... }:
{
  programs.git = {
    enable = true;
    # identity comes from homes/<user>
    difftastic.enable = true;
    extraConfig = {
      init.defaultBranch = "main";
      merge.conflictStyle = "zdiff3";
      rebase.autoStash = true;
      fetch.prune = true;
    };
    ignores = lib.mkDefault [ "*.swp" ".direnv/" "result" ];
  };
  programs.lazygit.enable = true;
}
