"""`<channel>` lookups in the files the new flake evaluates become flake inputs (HM011).

A lookup needs `inputs` in scope where it stands, and `import <nixpkgs> { }` needs the
host's `system` (a flake evaluates purely). Module files come in several shapes, and
each gets the smallest edit that brings the names in:

- `{ pkgs, ... }:` (with or without `@args`): the names are added to the pattern;
- `args:`: the argument becomes `{ inputs, ... }@args`, so `args` still holds everything;
- a file that is no function (`{ imports = ...; }`, `let ... in { ... }`) and is only
  ever imported as a module: it becomes one, `{ inputs, ... }:` on top.

What cannot be edited safely stops the run with the place and the way out: a file read
as a value (`import ./x.nix`, callPackage), whose callers would have to pass `inputs`,
and a lookup outside the module function (in a `let` around it). Files the flake does
not evaluate (a `shell.nix`, a module nothing imports) keep their lookups: they still
run with the channels, and the report lists them.
"""

from __future__ import annotations

import re
from typing import Optional

from migrate.errors import MigrateError
from migrate.nix import emit, query
from migrate.nix.edit import ChangeSet

_NIXPKGS_CHANNELS = {"nixpkgs", "nixos"}
_SHOWN = 10


def channel_url(channel: str, release: str) -> str:
    if channel in _NIXPKGS_CHANNELS:
        return f"github:NixOS/nixpkgs/nixos-{release}"
    if channel in ("nixos-unstable", "nixpkgs-unstable"):
        return f"github:NixOS/nixpkgs/{channel}"
    if re.fullmatch(r"nixos-\d\d\.\d\d(-small)?", channel):
        return f"github:NixOS/nixpkgs/{channel}"
    if channel == "nixos-hardware":
        return "github:NixOS/nixos-hardware"
    if channel == "home-manager":
        return f"github:nix-community/home-manager/release-{release}"
    raise MigrateError(f"channel <{channel}> has no known flake equivalent: add it as a flake input by hand "
                       "and migrate again; nothing was written")


def input_name(channel: str) -> str:
    return "nixpkgs" if channel in _NIXPKGS_CHANNELS else channel


def is_nixpkgs(channel: str) -> bool:
    """Whether CHANNEL is a nixpkgs checkout (`import <it> { }` builds a package set)."""
    try:
        return channel_url(channel, "00.00").startswith("github:NixOS/nixpkgs/")
    except MigrateError:
        return False


def replace_lookups(analysis, edits: dict[str, ChangeSet], findings, evaluated: set[str],
                    kept_files: dict[str, str]) -> tuple[set[str], list[str]]:
    """Replace the HM011 lookups of the files in EVALUATED (what the new flake reads);
    KEPT_FILES maps the files of configurations that stay standalone to one of their
    entries. Returns the channels replaced and notes on the lookups left as they were."""
    per_file: dict[str, list] = {}
    left: list[str] = []
    for finding in findings:
        if finding.rule_id != "HM011" or "lookup" not in finding.data:
            continue
        path = finding.file
        if path in kept_files:
            if path in evaluated:
                raise MigrateError(f"{path}:{finding.line}: {finding.data['lookup']} is read by a NixOS host and by "
                                   f"the standalone configuration {kept_files[path]}, which stays on channels; "
                                   "give each its own file (or --attach it), and run again; nothing was written")
            continue  # its standalone configuration still runs on channels, where `inputs` does not exist
        if path not in evaluated:
            left.append(f"{path}:{finding.line}")
            continue
        per_file.setdefault(path, []).append(finding)
    channels: set[str] = set()
    for path, found in sorted(per_file.items()):
        channels |= _replace_in_file(analysis, edits, path, found)
    return channels, _left_notes(left)


def _left_notes(left: list[str]) -> list[str]:
    if not left:
        return []
    shown = ", ".join(left[:_SHOWN]) + (f" and {len(left) - _SHOWN} more" if len(left) > _SHOWN else "")
    return [f"HM011: lookups left as they are in files no host or migrated home evaluates ({shown}): "
            "they still resolve through the channels (nix-shell, or a module nothing imports); "
            "replace them by the flake's inputs once a configuration uses them"]


def _replace_in_file(analysis, edits, path: str, found: list) -> set[str]:
    nix = analysis.evaluator.parse(path)
    scope = _ModuleScope(analysis, nix, path)
    changes = edits.get(path) or ChangeSet(nix)
    edits[path] = changes
    channels: set[str] = set()
    needed = {"inputs"}
    literals = analysis.graph.index_of(path).paths
    for finding in found:
        lookup = finding.data["lookup"]
        channel, sub = finding.data["channel"], finding.data.get("subpath")
        for literal in literals:
            if literal.kind != "search" or literal.text != lookup or nix.line_col(literal.start)[0] != finding.line:
                continue
            scope.check_inside(literal, finding)
            name = f"inputs.{emit.attr_key(input_name(channel))}"
            changes.replace_range(literal.start, literal.end,
                                  name if not sub else f"({name} + {emit.string_literal('/' + sub)})")
            channels.add(channel)
            if not sub and _pass_host_packages(nix, literal, changes, channel):
                needed.add("pkgs")
    scope.bring_in(changes, needed)
    return channels


class _ModuleScope:
    """How a module file gets names (`inputs`, `pkgs`) from the module system."""

    def __init__(self, analysis, nix, path: str):
        self.nix = nix
        self.path = path
        self.function = _top_function(nix)
        self.as_value = _read_as_value(analysis, path)

    def check_inside(self, literal, finding) -> None:
        place = f"{self.path}:{finding.line}: {finding.data['lookup']}"
        if self.as_value:
            raise MigrateError(
                f"{place} is in a file read as a value ({self.as_value}), not as a module, so it cannot be given "
                "the flake's inputs; pass the input from the module that reads it (e.g. `import ./file.nix "
                "{ nixpkgs = inputs.nixpkgs; }`) and run again; nothing was written")
        if self.function is not None and not _contains(self.function.last_child(), literal.start):
            raise MigrateError(
                f"{place} is outside the module's function (in a `let` around it), where the module's arguments "
                "are not in scope; move it inside the function and run again; nothing was written")

    def bring_in(self, changes: ChangeSet, names: set[str]) -> None:
        wanted = sorted(names)
        if self.function is None:
            # Not a function: a plain module (a set, `let ... in { }`). It becomes one.
            start = self.nix.expression.text_range()[0]
            changes.insert(start, "{ " + ", ".join(wanted) + ", ... }:" + changes.newline)
            return
        found = query.formals(self.function, self.nix)
        if found.ident in names:
            raise MigrateError(f"{self.path}: the module's argument is called `{found.ident}`, the name the flake's "
                               "value would need; rename it and run again; nothing was written")
        if found.ident is not None:
            param = self.function.first_child()
            start, end = param.text_range()
            changes.replace_range(start, end, "{ " + ", ".join(wanted) + ", ... }@" + found.ident)
            return
        for name in wanted:
            if name not in found.names and found.at_name != name:
                changes.add_formal(self.function, name)


def _top_function(nix):
    """The lambda the file evaluates to, through parens and `let ... in`; None if none."""
    node = query.unparen(nix.expression)
    while node is not None and node.kind() == "NODE_LET_IN":
        node = query.unparen(node.last_child())
    return node if node is not None and node.kind() == "NODE_LAMBDA" else None


def _contains(node, offset: int) -> bool:
    start, end = node.text_range()
    return start <= offset < end


def _read_as_value(analysis, path: str) -> Optional[str]:
    """'imported by F:L' when some configuration reads PATH as a value, else None."""
    for root in [*analysis.hosts.values(), *analysis.homes.values()]:
        reach = root.files.get(path)
        if reach is None:
            continue
        for edge in reach.edges:
            if edge.kind != "module":
                return f"read by {edge.where}"
    return None


def _pass_host_packages(nix, literal, changes: ChangeSet, channel: str) -> bool:
    """`import <channel> { ... }` used the machine's own settings implicitly; a flake
    evaluates purely, so what they gave is passed: a nixpkgs gets the host's system, a
    Home Manager checkout the host's package set. True when `pkgs` is now read."""
    node = literal.node.parent()
    while node is not None and node.kind() == "NODE_PAREN":
        node = node.parent()
    if node is None or node.kind() != "NODE_APPLY" or query.unparen(node.first_child()).text().strip() != "import":
        return False
    outer = node.parent()
    if outer is None or outer.kind() != "NODE_APPLY":
        return False
    args = query.unparen(outer.last_child())
    if args is None or args.kind() != "NODE_ATTR_SET":
        return False
    names = {b.path[0] for b in query.bindings(args, nix)} | {n for i in query.inherits(args) for n in i.names}
    if is_nixpkgs(channel):
        if names & {"system", "localSystem", "crossSystem"}:
            return False
        changes.insert_binding(args, "system = pkgs.stdenv.hostPlatform.system;")
        return True
    if channel == "home-manager" and "pkgs" not in names:
        changes.insert_binding(args, "inherit pkgs;")  # its default.nix would `import <nixpkgs>`
        return True
    return False
