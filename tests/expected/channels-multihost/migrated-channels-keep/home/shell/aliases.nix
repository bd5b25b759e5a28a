{ ... }:
{
  home.shellAliases = {
    ll = "ls -lah";
    gs = "git status -sb";
    # Rebuild this machine from the dotfiles checkout.
    rebuild = "~/dotfiles/scripts/rebuild.sh $(hostname)";
  };
}
