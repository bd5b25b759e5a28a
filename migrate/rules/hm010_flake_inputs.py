"""HM010: the flake's `home-manager` input and its `inputs.nixpkgs.follows`."""

from __future__ import annotations

import re

from migrate.analyze.flakes_in_folders import LAYOUT as FLAKES_IN_FOLDERS
from migrate.analyze.graph import where_parts
from migrate.nix import query
from migrate.rules._common import Rule, Source, parse, settings

EXPLANATION = r"""
What it does
  Reads the `inputs` of `flake.nix` (syntactically) and reports a missing
  `home-manager` input, a `home-manager` input whose nixpkgs does not follow
  the flake's `nixpkgs` (`inputs.nixpkgs.follows = "nixpkgs"`), and release
  branches of the two that do not match. A repository without a flake (channels)
  gets one created with both inputs.

Why
  The hosts need `home-manager.nixosModules.home-manager` from an input. With
  `useGlobalPkgs` the user's packages come from the host's nixpkgs either way,
  but without `follows` the home-manager input locks a second nixpkgs that is
  downloaded and evaluated for nothing (and its `lib` used by the HM module
  system can drift from the system's). A Home Manager release older or newer
  than nixpkgs prints "You are using Home Manager version X and Nixpkgs
  version Y" and may use options that do not exist.

Example
  Before:

    ```nix
    {
      inputs = {
        nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
        home-manager.url = "github:nix-community/home-manager/release-24.11";
      };
      outputs = { self, nixpkgs, home-manager, ... }: { };
    }
    ```

  After:

    ```nix
    {
      inputs = {
        nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
        home-manager.url = "github:nix-community/home-manager/release-24.11";
        home-manager.inputs.nixpkgs.follows = "nixpkgs";
      };
      outputs = { self, nixpkgs, home-manager, ... }: { };
    }
    ```

Fix
  A missing input is added (on the release matching nixpkgs) with
  `inputs.nixpkgs.follows = "nixpkgs"`; a missing `follows` is added. Adding
  `follows` changes the lock file's home-manager nixpkgs: safe, since the
  hosts' nixpkgs is the one the packages come from.
"""

_RELEASE = re.compile(r"(\d\d\.\d\d)")


def _string(node):
    node = query.unparen(node)
    return query.string_constant(node) if node is not None and node.kind() == "NODE_STRING" else None


def detect(analysis) -> list:
    if analysis.layout == "already-migrated":
        return []
    evaluator = getattr(analysis, "evaluator", None)
    snapshot = getattr(evaluator, "snapshot", None)
    if analysis.layout == FLAKES_IN_FOLDERS:
        # each host's own flake gets the input (migrate/plan/flakes_in_folders.py)
        flakes = sorted({where_parts(h.where)[0] for h in analysis.hosts.values() if where_parts(h.where)[0]})
        return [finding for path in flakes for finding in _detect_flake(analysis, path)]
    if snapshot is not None and not snapshot.is_file("flake.nix"):
        return [RULE.finding(None, None, "no flake.nix: the migration creates one with nixpkgs and home-manager "
                             "inputs, home-manager following nixpkgs", flake=False, has_input=False, follows=None)]
    return _detect_flake(analysis, "flake.nix")


def _detect_flake(analysis, path: str) -> list:
    nix = parse(analysis, path)
    if nix is None:
        return []
    top = query.module_attrs(nix)
    if top is None:
        return []
    found = settings(Source(path, nix, top), ("inputs",), module=False)
    inputs: dict = {}
    for setting in found:
        if len(setting.path) < 2:
            continue
        entry = inputs.setdefault(setting.path[1], {"line": setting.line, "settings": []})
        entry["line"] = min(entry["line"], setting.line)
        entry["settings"].append(setting)

    def url_of(name):
        for setting in inputs.get(name, {}).get("settings", []):
            if setting.path[2:] == ("url",):
                return _string(setting.value)
        return None

    hm_name = "home-manager" if "home-manager" in inputs else next(
        (name for name in inputs if "home-manager" in (url_of(name) or "")), None)
    inputs_line = min((s.line for s in found), default=None)
    if hm_name is None:
        return [RULE.finding(path, inputs_line or 1,
                             "the flake has no home-manager input: one is added, with inputs.nixpkgs.follows = \"nixpkgs\"",
                             flake=True, has_input=False, follows=None)]
    entry = inputs[hm_name]
    follows = None
    for setting in entry["settings"]:
        if setting.path[2:] == ("inputs", "nixpkgs", "follows"):
            follows = _string(setting.value)
    findings = []
    hm_url, np_url = url_of(hm_name), url_of("nixpkgs")
    hm_release = _RELEASE.search(hm_url or "")
    np_release = _RELEASE.search(np_url or "")
    mismatch = bool(hm_release and np_release and hm_release.group(1) != np_release.group(1))
    if follows != "nixpkgs" or mismatch:
        parts = []
        if follows is None:
            parts.append(f"the {hm_name} input does not follow nixpkgs: inputs.nixpkgs.follows = \"nixpkgs\" is added")
        elif follows != "nixpkgs":
            parts.append(f"the {hm_name} input follows {follows!r}, not the hosts' nixpkgs (review)")
        if mismatch:
            parts.append(f"home-manager {hm_release.group(1)} and nixpkgs {np_release.group(1)} are different releases")
        findings.append(RULE.finding(path, entry["line"], "; ".join(parts), flake=True, has_input=True,
                                     input=hm_name, follows=follows, url=hm_url, nixpkgs_url=np_url,
                                     release_mismatch=mismatch))
    return findings


def after_plan(finding, plan):
    """With --channels keep no flake is created: the module comes from root's channel."""
    if plan.keeps_channels and finding.data.get("flake") is False:
        finding.message = ("no flake.nix, and none is created (--channels keep): the hosts import <home-manager/nixos> "
                           "from root's home-manager channel, which must follow the release of their nixpkgs")
    return finding


RULE = Rule(
    id="HM010",
    name="flake_inputs",
    message="the flake lacks a home-manager input, or its nixpkgs does not follow the flake's",
    explanation=EXPLANATION,
    fix='adds the home-manager input and/or inputs.nixpkgs.follows = "nixpkgs"; safe',
    safe=True,
    detect=detect,
    after_plan=after_plan,
)
