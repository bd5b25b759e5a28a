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


def test_commented_out_relative_imports_are_read_from_their_file():
    files = {
        "nixos/configuration.nix": b"{ ... }: {\n  imports = [\n    ./desktop.nix\n    # ./nvidia.nix  # someday\n"
                                   b"    # ./gone.nix\n  ];\n}\n",
        "nixos/desktop.nix": b"{ }\n  # see ../README.md; ../nixos/desktop.nix is me, still right\n",
        "README.md": b"hello\n",
        "nixos/nvidia.nix": b"{ }\n",
        "shared/x.nix": b"# ./y.nix moves along with me\n{ }\n",
        "shared/y.nix": b"{ }\n",
    }
    moves = [Move("nixos/configuration.nix", "hosts/box/default.nix", "entry"),
             Move("nixos/desktop.nix", "modules/nixos/desktop.nix", "system"),
             Move("shared/x.nix", "modules/nixos/shared/x.nix", "system"),
             Move("shared/y.nix", "modules/nixos/shared/y.nix", "system")]
    assert _mentions(files, moves) == [
        "nixos/configuration.nix:4 names ./nvidia.nix (now ../../nixos/nvidia.nix from hosts/box/default.nix)",
        "nixos/desktop.nix:2 names ../README.md (now ../../README.md from modules/nixos/desktop.nix)",
    ]


def test_a_command_in_a_comment_names_paths_from_the_top():
    files = {"nixos/pebble/disks.nix": b"# run: disko --mode disko ./nixos/pebble/disks.nix\n{ }\n"}
    moves = [Move("nixos/pebble/disks.nix", "hosts/pebble/disks.nix", "host")]
    assert _mentions(files, moves) == [
        "nixos/pebble/disks.nix:1 names nixos/pebble/disks.nix (now hosts/pebble/disks.nix)"]
