# Loaded at the end of .zshrc by Home Manager.
bindkey -e
setopt AUTO_CD HIST_IGNORE_DUPS
