"""Text that still names a moved path is listed for the user, never edited."""

from __future__ import annotations

from migrate.plan.layout import Move
from migrate.plan.mentions import old_path_mentions
from migrate.plan.paths import PathMap
from migrate.snapshot import from_mapping


def _mentions(files: dict[str, bytes], moves: list[Move]) -> list[str]:
    snapshot = from_mapping(files, "<test>")
    return old_path_mentions(snapshot, PathMap(snapshot, {m.old: m for m in moves}))


def test_docs_scripts_and_nix_comments_that_name_moved_paths():
    files = {
        "README.md": b"Edit nixos/configuration.nix, then `nixos/common` holds the rest.\nhome.nix stays.\n",
        "justfile": b"switch:\n    sudo nixos-rebuild switch -I nixos-config=./nixos/configuration.nix\n",
        "nixos/configuration.nix": b"{ ... }: {\n  imports = [ ./common ];  # was nixos/old.nix\n}\n",
        "nixos/common/default.nix": b"# see nixos/configuration.nix\n{ }\n",
        "nixos/old.nix": b"{ }\n",
        "notes.bin": b"nixos/configuration.nix\xff",
    }
    moves = [Move("nixos/configuration.nix", "hosts/box/default.nix", "entry"),
             Move("nixos/common/default.nix", "modules/nixos/common/default.nix", "shared")]
    assert _mentions(files, moves) == [
        "README.md:1 names nixos/configuration.nix (now hosts/box/default.nix)",
        "README.md:1 names nixos/common (now modules/nixos/common)",
        "justfile:2 names nixos/configuration.nix (now hosts/box/default.nix)",
        "nixos/common/default.nix:1 names nixos/configuration.nix (now hosts/box/default.nix)",
    ]


def test_code_paths_and_unmoved_paths_are_not_listed():
    files = {"a/x.nix": b"{ imports = [ ./y.nix ]; z = \"a/y.nix\"; }\n", "a/y.nix": b"{ }\n",
             "README.md": b"a/x.nix stays where it is\n"}
    assert _mentions(files, [Move("a/y.nix", "b/y.nix", "moved")]) == []


def test_long_lists_are_cut():
    files = {"README.md": b"".join(b"see a/y.nix\n" for _ in range(40)), "a/y.nix": b"{ }\n"}
    found = _mentions(files, [Move("a/y.nix", "b/y.nix", "moved")])
    assert len(found) == 31 and found[-1] == "... and 10 more"
