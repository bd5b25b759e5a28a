# identity is set per user (alice/home.nix, bob/home.nix)
{
  programs.git = {
    enable = true;
    extraConfig = {
      init.defaultBranch = "main";
      pull.ff = "only";
      merge.conflictStyle = "zdiff3";
      diff.algorithm = "histogram";
    };
    ignores = ["result" ".direnv"];
  };
}
