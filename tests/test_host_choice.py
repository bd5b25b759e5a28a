"""Channels setups that pick the machine by a symlink, a copied file or a file git does
not track: the host is read through the choice and named after the machine, the files
that make the choice stay (every path and link names what it named before), the flake
builds the chosen machine with the same modules (real Nix), and the others are reported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.analyze.analysis import analyze
from migrate.nix.parse import parse_bytes
from migrate.nix.query import path_literals
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_directory
from tests.nixcheck import requires_nix

ROOT = Path(__file__).resolve().parent.parent

HOME = ('{ lib, ... }:\n{\n  imports = [ ./home/git.nix ];\n  home.username = "ann";\n'
        '  home.homeDirectory = "/home/ann";\n  home.stateVersion = "24.05";\n}\n')
GIT = "{ ... }: { programs.git.enable = true; }\n"


def machine_files(folder: str, name: str, host_name: bool = True) -> dict[str, str]:
    set_name = f'  networking.hostName = "{name}";\n' if host_name else ""
    return {
        f"{folder}/hardware-configuration.nix": f'{{ ... }}:\n{{\n  fileSystems."/".device = "/dev/{name}";\n{set_name}}}\n',
        f"{folder}/boot-loader.nix": f'{{ ... }}: {{ boot.loader.grub.device = "/dev/{name}"; }}\n',
    }


def shared_configuration(*imports: str) -> str:
    return ("# every machine builds this file; the machine's own files are picked outside it\n"
            "{ config, pkgs, ... }:\n{\n  imports = [\n" + "".join(f"    {i}\n" for i in imports) +
            '    ./services.nix\n  ];\n  users.users.ann.isNormalUser = true;\n  system.stateVersion = "24.05";\n}\n')


SERVICES = "{ ... }: { services.openssh.enable = true; }\n"

# name -> (files, symlinks {link: target}, expected host name)
SETUPS = {
    # a folder link: host -> hosts/laptop
    "folder-link": ({
        "configuration.nix": shared_configuration("./host/hardware-configuration.nix", "./host/boot-loader.nix"),
        "services.nix": SERVICES, "home.nix": HOME, "home/git.nix": GIT,
        **machine_files("hosts/laptop", "laptop"), **machine_files("hosts/desk", "desk"),
    }, {"host": "hosts/laptop"}, "laptop"),
    # links to files of the machine's folder, beside the shared configuration
    "file-links": ({
        "nixos/configuration.nix": shared_configuration("./hardware-configuration.nix", "./boot-loader.nix"),
        "nixos/services.nix": SERVICES, "home-manager/home.nix": HOME, "home-manager/home/git.nix": GIT,
        **machine_files("nixos/laptop", "laptop"), **machine_files("nixos/desk", "desk"),
    }, {"nixos/hardware-configuration.nix": "laptop/hardware-configuration.nix",
        "nixos/boot-loader.nix": "laptop/boot-loader.nix"}, "laptop"),
    # a copy of the machine's files, committed; the machine sets no hostName: its folder names it
    "copies": ({
        "nixos/configuration.nix": shared_configuration("./hardware-configuration.nix", "./boot-loader.nix"),
        "nixos/services.nix": SERVICES, "home-manager/home.nix": HOME, "home-manager/home/git.nix": GIT,
        **machine_files("nixos/thinkpad", "thinkpad", host_name=False),
        **machine_files("nixos/desk", "desk", host_name=False),
        # what the machine's folder holds, copied beside the shared configuration
        **{path.replace("nixos/thinkpad/", "nixos/"): text
           for path, text in machine_files("nixos/thinkpad", "thinkpad", host_name=False).items()},
    }, {}, "thinkpad"),
    # the entry itself is the link: configuration.nix -> hosts/laptop/configuration.nix
    "entry-link": ({
        "hosts/laptop/configuration.nix": shared_configuration("./hardware-configuration.nix", "../../common.nix"),
        "hosts/laptop/services.nix": SERVICES, "hosts/laptop/hardware-configuration.nix": "{ ... }: { }\n",
        "hosts/desk/configuration.nix": shared_configuration("./hardware-configuration.nix", "../../common.nix"),
        "hosts/desk/services.nix": SERVICES, "hosts/desk/hardware-configuration.nix": "{ ... }: { }\n",
        "common.nix": '{ ... }: { networking.domain = "home.arpa"; }\n', "home.nix": HOME, "home/git.nix": GIT,
    }, {"configuration.nix": "hosts/laptop/configuration.nix"}, "laptop"),
    # the machine's files behind builtins.pathExists, read through a folder link, the home's too
    "path-exists": ({
        "configuration.nix": ("{ lib, ... }:\n{\n  imports = [ ./services.nix ]\n    ++ lib.optional "
                              "(builtins.pathExists ./host/hardware-configuration.nix) ./host/hardware-configuration.nix;\n"
                              '  users.users.ann.isNormalUser = true;\n  system.stateVersion = "24.05";\n}\n'),
        "services.nix": SERVICES,
        "home.nix": ("{ lib, ... }:\n{\n  imports = [ ./home/git.nix ]\n    ++ lib.optional "
                     "(builtins.pathExists ./host/home.nix) ./host/home.nix;\n  home.username = \"ann\";\n"
                     '  home.homeDirectory = "/home/ann";\n  home.stateVersion = "24.05";\n}\n'),
        "home/git.nix": GIT,
        **machine_files("hosts/laptop", "laptop"), **machine_files("hosts/desk", "desk"),
        "hosts/laptop/home.nix": "{ ... }: { programs.htop.enable = true; }\n",
        "hosts/desk/home.nix": "{ ... }: { programs.btop.enable = true; }\n",
    }, {"host": "hosts/laptop"}, "laptop"),
}


def write(root: Path, files: dict[str, str], links: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    for link, target in links.items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / link)
    return root


@pytest.fixture(scope="module", params=sorted(SETUPS))
def migrated(request, tmp_path_factory):
    name = request.param
    files, links, host = SETUPS[name]
    base = tmp_path_factory.mktemp(name)
    repo = base / "repo"
    repo.mkdir()
    write(repo, files, links)
    out = base / "out"
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--out", str(out), "--no-color"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    snapshot = from_directory(repo)
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis))
    return name, repo, out, host, analysis, plan


def test_the_host_is_the_chosen_machine(migrated):
    name, _repo, _out, host, analysis, plan = migrated
    assert sorted(analysis.hosts) == [host]
    assert [w.host for w in plan.wirings] == [host]
    flake = plan.tree["flake.nix"].decode()
    assert f"nixosConfigurations.{host} = nixpkgs.lib.nixosSystem" in flake
    assert "home-manager.nixosModules.home-manager" in flake


def test_the_other_machines_are_reported(migrated):
    name, _repo, _out, host, _analysis, plan = migrated
    (note,) = [n for n in plan.notes if n.startswith(f"host {host}") and "picks" in n]
    others = {"folder-link": "hosts/desk/", "file-links": "nixos/desk/", "copies": "nixos/desk/",
              "entry-link": "hosts/desk/", "path-exists": "hosts/desk/"}[name]
    assert f"; {others} holds other machines of the same shape, which the flake does not build" in note


def test_the_files_that_make_the_choice_stay(migrated):
    name, repo, out, _host, _analysis, plan = migrated
    moved = {m.old for m in plan.moves}
    assert all(m.new.startswith("modules/home/") for m in plan.moves), plan.moves
    for link in SETUPS[name][1]:
        assert link not in moved and os.readlink(out / link) == os.readlink(repo / link)
    assert not [p for p in moved if p.startswith(("hosts/", "nixos/"))]


def _real(path: Path) -> str:
    return os.path.realpath(path)


def test_every_path_and_link_names_what_it_named(migrated):
    _name, repo, out, _host, _analysis, plan = migrated
    renamed = {m.old: m.new for m in plan.moves}
    checked = 0
    for old in sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*.nix") if not p.is_symlink()):
        new = renamed.get(old, old)
        before = [p for p in path_literals(parse_bytes((repo / old).read_bytes(), old))
                  if p.kind == "relative" and not p.interpolated]
        after = [p for p in path_literals(parse_bytes((out / new).read_bytes(), new))
                 if p.kind == "relative" and not p.interpolated]
        assert len(before) == len(after), old
        for a, b in zip(before, after):
            named = Path(_real((repo / old).parent / a.text)).relative_to(_real(repo)).as_posix()
            now = Path(_real((out / new).parent / b.text)).relative_to(_real(out)).as_posix()
            assert now == renamed.get(named, named), (old, a.text, b.text)
            checked += 1
    for link in sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_symlink()):
        named = Path(_real(repo / link)).relative_to(_real(repo)).as_posix()
        now = Path(_real(out / renamed.get(link, link))).relative_to(_real(out)).as_posix()
        assert now == renamed.get(named, named), link
        checked += 1
    assert checked >= 4


@requires_nix
def test_the_chosen_machine_evaluates_the_same_modules(migrated):
    from tests.flake_eval import evaluate_repo

    _name, repo, out, host, _analysis, plan = migrated
    renamed = {m.old: m.new for m in plan.moves}
    # The commands name the entries (nixos-rebuild -I nixos-config=..., home-manager -f ...).
    entries = None
    if (repo / "nixos/configuration.nix").exists():
        entries = {"hosts": {"nixos": "nixos/configuration.nix"}, "homes": {"ann": "home-manager/home.nix"}}
    before, after = evaluate_repo(repo, entries), evaluate_repo(out)
    (old_host,) = before["nixos"].values()
    new_host = after["nixos"][host]
    assert new_host["modules"] == sorted(renamed.get(p, p) for p in old_host["modules"])
    (old_home,) = before["home"].values()
    assert new_host["home_manager"]["users"]["ann"]["modules"] == sorted(
        renamed.get(p, p) for p in old_home["modules"])


def test_files_copied_in_on_each_machine_are_explained(tmp_path):
    files = {
        "nixos/configuration.nix": shared_configuration("./hardware-configuration.nix", "./boot-loader.nix"),
        "nixos/services.nix": SERVICES, "home-manager/home.nix": HOME, "home-manager/home/git.nix": GIT,
        **machine_files("nixos/laptop", "laptop"), **machine_files("nixos/desk", "desk"),
    }
    repo = write(tmp_path, files, {})
    snapshot = from_directory(repo)
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis))
    (choice,) = analysis.host_choices.values()
    assert choice.kind == "untracked" and choice.machines == ["nixos/desk", "nixos/laptop"]
    (note,) = [n for n in plan.notes if "which git does not track" in n]
    assert note.startswith("host nixos: nixos/configuration.nix:5, nixos/configuration.nix:6 import "
                           "nixos/boot-loader.nix, nixos/hardware-configuration.nix, which git does not track; "
                           "nixos/desk/, nixos/laptop/ hold files of those names")
    assert "`ln -s desk/hardware-configuration.nix nixos/hardware-configuration.nix`" in note \
        or "`ln -s desk/boot-loader.nix nixos/boot-loader.nix`" in note
    # The general note on untracked paths is not repeated for these.
    assert not [n for n in plan.notes if "which the repository does not hold" in n]
    assert not [m for m in plan.moves if m.old.startswith("nixos/")]


def test_imports_follow_links_as_nix_does():
    # Nix follows a link an imported path ends in (relative paths of the file are then
    # read from the link's target) but reads folders on the way as written: `..` in a
    # file under the folder link `host` leaves `host`, not its target.
    from migrate.analyze.evaluator import Evaluator
    from migrate.snapshot import from_mapping

    files = {
        "linked.nix": b"hosts/laptop/configuration.nix",
        "host": b"hosts/laptop",
        "hosts/laptop/configuration.nix": b"{ }\n",
        "hosts/laptop/default.nix": b"{ }\n",
        "sub/alias.nix": b"../linked.nix",
    }
    modes = {"linked.nix": 0o120000, "host": 0o120000, "sub/alias.nix": 0o120000}
    evaluator = Evaluator(from_mapping(files, "<test>", modes))
    assert evaluator.resolve_import("linked.nix") == "hosts/laptop/configuration.nix"
    assert evaluator.resolve_import("sub/alias.nix") == "hosts/laptop/configuration.nix"  # a link to a link
    assert evaluator.resolve_import("host") == "hosts/laptop/default.nix"  # `import ./host`: the link is the path's end
    assert evaluator.resolve_import("host/configuration.nix") == "host/configuration.nix"


def test_a_link_out_of_the_repository_is_not_followed():
    from migrate.analyze.evaluator import Evaluator
    from migrate.snapshot import from_mapping

    evaluator = Evaluator(from_mapping({"out.nix": b"../elsewhere.nix", "abs.nix": b"/etc/nixos/x.nix"}, "<test>",
                                       {"out.nix": 0o120000, "abs.nix": 0o120000}))
    assert evaluator.resolve_import("out.nix") is None
    assert evaluator.resolve_import("abs.nix") is None


@requires_nix
@pytest.mark.parametrize("name", sorted(SETUPS))
def test_kept_on_channels_the_choice_and_the_users_work(name, tmp_path):
    from tests.flake_eval import evaluate_repo

    files, links, host = SETUPS[name]
    repo = write(tmp_path / "repo", files, links)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--out", str(out), "--no-color",
                             "--channels", "keep"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for link in links:
        assert os.readlink(out / link) == os.readlink(repo / link)
    entries = None
    if (repo / "nixos/configuration.nix").exists():
        entries = {"hosts": {"nixos": "nixos/configuration.nix"}, "homes": {"ann": "home-manager/home.nix"}}
    before, after = evaluate_repo(repo, entries), evaluate_repo(out, entries)
    ((old_name, old_host),) = before["nixos"].items()
    new_host = after["nixos"][old_name]
    assert new_host["modules"] == old_host["modules"]
    (old_home,) = before["home"].values()
    assert new_host["home_manager"]["users"]["ann"]["modules"] == old_home["modules"]


def test_a_home_that_picks_its_machine_keeps_only_that_choice_in_place(tmp_path):
    files = {
        "configuration.nix": ('{ ... }:\n{\n  imports = [ ./services.nix ];\n  networking.hostName = "kite";\n'
                              '  users.users.ann.isNormalUser = true;\n  system.stateVersion = "24.05";\n}\n'),
        "services.nix": SERVICES,
        "home.nix": HOME.replace("[ ./home/git.nix ]", "[ ./home/git.nix ./machine/home.nix ]"),
        "home/git.nix": GIT,
        "machines/kite/home.nix": "{ ... }: { programs.htop.enable = true; }\n",
        "machines/wren/home.nix": "{ ... }: { programs.btop.enable = true; }\n",
    }
    repo = write(tmp_path / "repo", files, {"machine": "machines/kite"})
    snapshot = from_directory(repo)
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis))
    assert analysis.host_choices == {}
    moved = {m.old: m.new for m in plan.moves}
    assert moved["configuration.nix"] == "hosts/kite/default.nix"  # the system side is laid out as usual
    assert moved["home.nix"] == "modules/home/default.nix"
    assert not [p for p in moved if p.startswith("machines/") or p == "machine"]
    (note,) = [n for n in plan.notes if "picks" in n]
    assert note.startswith("home ann is the machine the symlink machine -> machines/kite picks: the flake builds "
                           "this one, and the link and the folders it picks between stay where they are")
    assert "../../machine/home.nix" in plan.tree["modules/home/default.nix"].decode()


@requires_nix
def test_kept_on_channels_an_entry_read_through_a_folder_link_is_edited_where_it_lives(tmp_path):
    # nixos -> machines/laptop: Nix reads nixos/configuration.nix, whose relative paths
    # start from nixos/ (lexically), while its bytes are machines/laptop/configuration.nix.
    from tests.flake_eval import evaluate_repo

    files = {"home.nix": HOME, "home/git.nix": GIT}
    for machine in ("laptop", "desk"):
        files[f"machines/{machine}/configuration.nix"] = (
            '{ ... }:\n{\n  imports = [ ./hardware-configuration.nix ];\n  users.users.ann.isNormalUser = true;\n'
            '  system.stateVersion = "24.05";\n}\n')
        files[f"machines/{machine}/hardware-configuration.nix"] = "{ ... }: { }\n"
    repo = write(tmp_path / "repo", files, {"nixos": "machines/laptop"})
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--out", str(out), "--no-color",
                             "--channels", "keep"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "users.ann = import ../home.nix;" in (out / "machines/laptop/configuration.nix").read_text()
    assert os.readlink(out / "nixos") == "machines/laptop"
    assert "machines/laptop/configuration.nix is the entry of the machine in machines/laptop/" in result.stdout
    entries = {"hosts": {"laptop": "nixos/configuration.nix"}, "homes": {"ann": "home.nix"}}
    after = evaluate_repo(out, entries)
    (host,) = after["nixos"].values()
    assert host["home_manager"]["users"]["ann"]["modules"] == ["home.nix", "home/git.nix"]
