"""HM011: `<nixpkgs>`-style search path lookups (channels)."""

from __future__ import annotations

from migrate.rules._common import Rule, parse, path_literals

EXPLANATION = r"""
What it does
  Finds every search path lookup (`<nixpkgs>`, `<nixos-unstable>`,
  `<home-manager/nixos>`, `<nixos-hardware/lenovo/...>`) in the repository's
  `.nix` files.

Why
  A lookup resolves through `NIX_PATH`, i.e. the channels of whoever runs the
  command: root's channels for `nixos-rebuild`, the user's for
  `home-manager switch`. A flake evaluates in pure mode, where
  `<nixpkgs>` fails ("cannot look up '<nixpkgs>' in pure evaluation mode"),
  and the pinned inputs replace the channels. `<home-manager/nixos>` becomes
  the `home-manager.nixosModules.home-manager` of the flake input.

Example
  Before:

    ```nix
    { config, ... }:
    let
      unstable = import <nixos-unstable> { config = config.nixpkgs.config; };
    in
    {
      imports = [ <home-manager/nixos> ];
    }
    ```

  After:

    ```nix
    { config, inputs, pkgs, ... }:
    let
      unstable = import inputs.nixpkgs-unstable {
        inherit (pkgs.stdenv.hostPlatform) system;
        config = config.nixpkgs.config;
      };
    in
    {
      imports = [ inputs.home-manager.nixosModules.home-manager ];
    }
    ```

Fix
  Each channel becomes a flake input pinned to the channel's release
  (nixpkgs and home-manager from `system.stateVersion` / `home.stateVersion`)
  and each lookup is replaced by that input; reported, needs review (the pinned
  revision is not the one the channel had).
"""


def detect(analysis) -> list:
    findings = []
    for path in sorted(analysis.files):
        nix = parse(analysis, path)
        if nix is None or "<" not in nix.text:
            continue
        for literal in path_literals(nix):
            if literal.kind != "search":
                continue
            name = literal.text.strip("<>")
            channel = name.split("/", 1)[0]
            role = analysis.files[path].role
            line = nix.line_col(literal.start)[0]
            note = "" if role not in ("orphan", "other") else f" (in a file with role {role})"
            findings.append(RULE.finding(
                path, line, f"search path lookup {literal.text} depends on the channel {channel}{note}",
                lookup=literal.text, channel=channel, subpath=name[len(channel) + 1:] or None, role=role,
            ))
    return findings


RULE = Rule(
    id="HM011",
    name="channel_lookups",
    message="<nixpkgs>-style lookups depend on channels and fail in pure flake evaluation",
    explanation=EXPLANATION,
    fix="each channel becomes a pinned flake input and the lookup is replaced by it; reported, needs review",
    safe=False,
    detect=detect,
)
