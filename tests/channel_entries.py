"""Entry files of the channels samples whose machines are not built from the top of the
repository, as their READMEs say (`nixos-rebuild -I nixos-config=hosts/x/configuration.nix`,
`home-manager switch -f hosts/x/home.nix`): the Nix harness evaluates exactly these."""

CHANNEL_ENTRIES = {
    "channels-multihost": {
        # host name when networking.hostName is unset -> entry file
        "hosts": {name: f"hosts/{name}/configuration.nix" for name in ("falcon", "heron", "owl")},
        "homes": {f"hosts/{name}/home.nix": f"hosts/{name}/home.nix" for name in ("falcon", "heron")},
    },
}
