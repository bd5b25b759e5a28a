{ ... }:
{
  programs.ssh = {
    enable = true;
    addKeysToAgent = "yes";
    matchBlocks = {
      "relay"  = { hostname = "relay.tail0c1d2.ts.net"; user = "rhea"; };
      "atlas"  = { hostname = "atlas.tail0c1d2.ts.net"; user = "rhea"; forwardAgent = true; };
      "github.com".identityFile = "~/.ssh/id_ed25519_github";
    };
  };
}
