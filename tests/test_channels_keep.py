"""`--channels keep`: the smallest edit of each host's entry module, whatever its shape;
verification proves the users evaluate their old modules and the host imports Home
Manager's module; the report gives the channel commands; refusals are messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.analyze.analysis import analyze
from migrate.errors import MigrateError
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_mapping
from migrate.verify import verify
from tests.nixcheck import NIX_INSTANTIATE, requires_nix

ROOT = Path(__file__).resolve().parent.parent

HOME = ('{ pkgs, ... }:\n{\n  imports = [ ./home/git.nix ];\n  home.username = "ann";\n'
        '  home.homeDirectory = "/home/ann";\n  home.stateVersion = "24.05";\n}\n')
GIT = "{ ... }: { programs.git.enable = true; }\n"


def files_with(configuration: str, **more: str) -> dict[str, str]:
    return {"configuration.nix": configuration, "home.nix": HOME, "home/git.nix": GIT,
            "hardware-configuration.nix": "{ ... }: { }\n", **more}


def keep(files: dict[str, str]):
    snapshot = from_mapping({path: text.encode() for path, text in files.items()}, "<test>")
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis), channels="keep")
    return analysis, plan


def entry(plan) -> str:
    return plan.tree["configuration.nix"].decode()


BLOCK = ('  home-manager = {\n    useGlobalPkgs = true;\n    useUserPackages = true;\n'
         '    backupFileExtension = "hm-backup";\n    users.ann = import ./home.nix;\n  };\n')


def test_a_plain_entry_gets_the_import_and_one_block():
    configuration = ('{ config, pkgs, ... }:\n{\n  imports = [\n    ./hardware-configuration.nix\n  ];\n'
                     '  users.users.ann.isNormalUser = true;\n  system.stateVersion = "24.05";\n}\n')
    analysis, plan = keep(files_with(configuration))
    assert entry(plan) == ('{ config, pkgs, ... }:\n{\n  imports = [\n    ./hardware-configuration.nix\n'
                           '    <home-manager/nixos>\n  ];\n  users.users.ann.isNormalUser = true;\n'
                           '  system.stateVersion = "24.05";\n' + BLOCK + '}\n')
    assert plan.moves == [] and sorted(plan.changed) == ["configuration.nix"] and "flake.nix" not in plan.tree
    assert verify(analysis, plan) == []


def test_an_entry_without_imports_gets_them():
    analysis, plan = keep(files_with('{ ... }:\n{\n  system.stateVersion = "24.05";\n}\n'))
    assert entry(plan) == ('{ ... }:\n{\n  system.stateVersion = "24.05";\n  imports = [ <home-manager/nixos> ];\n'
                           + BLOCK + '}\n')
    assert verify(analysis, plan) == []


def test_imports_built_with_operators_get_the_module_in_their_list_or_in_front():
    listed = ('{ lib, ... }:\n{\n  imports = [ ./hardware-configuration.nix ]\n'
              '    ++ lib.optional (builtins.pathExists ./secrets.nix) ./secrets.nix;\n'
              '  system.stateVersion = "24.05";\n}\n')
    analysis, plan = keep(files_with(listed))
    assert "imports = [ ./hardware-configuration.nix <home-manager/nixos> ]\n    ++ lib.optional" in entry(plan)
    assert verify(analysis, plan) == []
    computed = ('{ lib, ... }:\n{\n  imports = if true then [ ./hardware-configuration.nix ] else [ ];\n'
                '  system.stateVersion = "24.05";\n}\n')
    analysis, plan = keep(files_with(computed))
    assert ("imports = [ <home-manager/nixos> ] ++ (if true then [ ./hardware-configuration.nix ] else [ ]);"
            in entry(plan))
    assert verify(analysis, plan) == []


def test_settings_the_host_has_already_are_not_written_again():
    configuration = ('{ ... }:\n{\n  imports = [ <home-manager/nixos> ];\n  home-manager = {\n'
                     '    useUserPackages = false;\n  };\n  system.stateVersion = "24.05";\n}\n')
    analysis, plan = keep(files_with(configuration))
    text = entry(plan)
    assert text.count("<home-manager/nixos>") == 1
    assert "useUserPackages = false;" in text and "useUserPackages = true;" not in text
    assert ('  home-manager = {\n    useUserPackages = false;\n    useGlobalPkgs = true;\n'
            '    backupFileExtension = "hm-backup";\n    users.ann = import ./home.nix;\n  };') in text
    assert verify(analysis, plan) == []


def test_dotted_settings_get_dotted_company():
    configuration = ('{ ... }:\n{\n  imports = [ ./hardware-configuration.nix ];\n'
                     '  home-manager.backupFileExtension = "old";\n  system.stateVersion = "24.05";\n}\n')
    analysis, plan = keep(files_with(configuration))
    text = entry(plan)
    assert '  home-manager.backupFileExtension = "old";\n' in text
    assert "  home-manager.useGlobalPkgs = true;\n  home-manager.useUserPackages = true;\n" in text
    assert "  home-manager.users.ann = import ./home.nix;\n" in text
    assert 'backupFileExtension = "hm-backup"' not in text
    assert verify(analysis, plan) == []


def test_a_module_with_options_gets_its_settings_under_config():
    configuration = ('{ lib, ... }:\n{\n  imports = [ ./hardware-configuration.nix ];\n'
                     '  options.site.name = lib.mkOption { default = "x"; };\n'
                     '  config = {\n    system.stateVersion = "24.05";\n  };\n}\n')
    analysis, plan = keep(files_with(configuration))
    text = entry(plan)
    assert "  config = {\n    system.stateVersion = \"24.05\";\n    home-manager = {\n" in text
    assert verify(analysis, plan) == []


def test_a_home_in_another_folder_is_imported_by_its_relative_path():
    files = {"nixos/configuration.nix": '{ ... }:\n{\n  imports = [ ];\n  system.stateVersion = "24.05";\n}\n',
             "home-manager/home.nix": HOME, "home-manager/home/git.nix": GIT}
    analysis, plan = keep(files)
    assert "users.ann = import ../home-manager/home.nix;" in plan.tree["nixos/configuration.nix"].decode()
    assert verify(analysis, plan) == []


def test_an_entry_that_is_no_attribute_set_stops_the_run():
    configuration = '{ lib, ... }:\nlib.mkMerge [ { system.stateVersion = "24.05"; } ]\n'
    with pytest.raises(MigrateError, match=r"^configuration.nix: the host's entry module is not an attribute set "
                                           r"this tool can edit; add <home-manager/nixos> to its imports"):
        keep(files_with(configuration))


def test_verification_sees_a_host_without_the_module():
    import migrate.plan.channels_keep as channels_keep

    configuration = '{ ... }:\n{\n  imports = [ ];\n  system.stateVersion = "24.05";\n}\n'
    original = channels_keep._add_import
    channels_keep._add_import = lambda *args: None  # the sabotage: the import is forgotten
    try:
        analysis, plan = keep(files_with(configuration))
    finally:
        channels_keep._add_import = original
    assert "<home-manager/nixos>" not in entry(plan)
    assert verify(analysis, plan) == [
        "host nixos: no module imports <home-manager/nixos>, which declares home-manager.users"]


def test_the_release_and_channels_root_needs_are_the_next_steps():
    files = files_with('{ ... }:\n{\n  imports = [ ];\n  system.stateVersion = "23.11";\n}\n')
    files["home/git.nix"] = ("{ ... }: let u = import <nixpkgs-unstable> { }; in "
                             "{ programs.git.enable = true; programs.git.package = u.git; }\n")
    _analysis, plan = keep(files)
    assert plan.next_steps == [
        "sudo nix-channel --add https://github.com/nix-community/home-manager/archive/release-23.11.tar.gz home-manager",
        "sudo nix-channel --add https://nixos.org/channels/nixpkgs-unstable nixpkgs-unstable",
        "sudo nix-channel --update",
        "sudo nixos-rebuild switch",
    ]
    assert any(n.startswith("Home Manager on nixos now evaluates with root's channels, not its users': "
                            "<nixpkgs-unstable> (read by home/git.nix:1) must be a channel of root too")
               for n in plan.notes)


def test_a_flake_repository_refuses_the_option():
    flake = ('{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";\n'
             '  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";\n'
             '  outputs = { nixpkgs, home-manager, ... }: {\n'
             '    nixosConfigurations.box = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; '
             'modules = [ ./configuration.nix ]; };\n'
             '    homeConfigurations."ann@box" = home-manager.lib.homeManagerConfiguration '
             '{ pkgs = nixpkgs.legacyPackages.x86_64-linux; modules = [ ./home.nix ]; };\n  };\n}\n')
    with pytest.raises(MigrateError, match=r"^--channels keep is for a repository without flake.nix"):
        keep(files_with('{ ... }: { system.stateVersion = "24.05"; }\n', **{"flake.nix": flake}))


def _write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def test_the_command_line_reports_the_next_steps(tmp_path):
    repo = _write(tmp_path / "repo", files_with('{ ... }:\n{\n  imports = [ ];\n  system.stateVersion = "24.05";\n}\n'))
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--channels", "keep", "--dry-run",
                             "--json"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["plan"] == [] and document["status"] == "planned"
    assert document["next_steps"][0].endswith("release-24.05.tar.gz home-manager")
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--channels", "keep", "--out",
                             str(tmp_path / "out"), "--no-color"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    steps = result.stdout[result.stdout.index("Next steps"):]
    assert "sudo nix-channel --update\n  sudo nixos-rebuild switch\n" in steps
    notes = (tmp_path / "out" / "MIGRATION.md").read_text()
    assert "       sudo nix-channel --add https://github.com/nix-community/home-manager/archive/release-24.05.tar.gz" \
        " home-manager\n" in notes
    assert "--flake" not in notes.split("## Diff")[0]
    assert not (tmp_path / "out" / "flake.nix").exists()


def test_an_unknown_channels_mode_is_a_usage_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "migrate", str(tmp_path), "--channels", "maybe"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "'maybe' is not one of 'flake', 'keep'" in result.stderr


@requires_nix
def test_the_kept_setup_evaluates_the_users_home_with_real_nix(tmp_path):
    # The harness stubs <home-manager/nixos> (and <nixpkgs>) on NIX_PATH, as root's channels would be.
    from tests.flake_eval import evaluate_repo

    configuration = ('{ lib, ... }:\n{\n  imports = [ ./hardware-configuration.nix ];\n'
                     '  users.users.ann.isNormalUser = true;\n  system.stateVersion = "24.05";\n}\n')
    repo = _write(tmp_path / "repo", files_with(configuration))
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--channels", "keep", "--out", str(out),
                             "--no-color"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    before, after = evaluate_repo(repo), evaluate_repo(out)
    host = after["nixos"]["nixos"]
    assert host["modules"] == before["nixos"]["nixos"]["modules"]
    assert host["external"] == ["home-manager:/nixos"]
    assert host["home_manager"]["use_global_pkgs"] is True
    assert host["home_manager"]["users"] == {"ann": {"modules": ["home.nix", "home/git.nix"], "external": []}}
    assert before["home"]["home"]["modules"] == ["home.nix", "home/git.nix"]  # the harness names it after its file
    parsed = subprocess.run([NIX_INSTANTIATE, "--parse", str(out / "configuration.nix")], capture_output=True)
    assert parsed.returncode == 0


def test_a_home_without_username_is_the_hosts_one_normal_user():
    files = files_with('{ ... }:\n{\n  users.users.ann = { isNormalUser = true; };\n  users.users.root.hashedPassword = "!";\n'
                       '  system.stateVersion = "24.05";\n}\n')
    files["home.nix"] = "{ ... }:\n{\n  imports = [ ./home/git.nix ];\n}\n"
    analysis, plan = keep(files)
    assert [h.user for h in analysis.homes.values()] == ["ann"]
    assert "users.ann = import ./home.nix;" in entry(plan)
    assert any("the user is taken to be ann, the one normal user of the host" in w.message for w in analysis.warnings)
    files["configuration.nix"] = files["configuration.nix"].replace(
        "users.users.root", "users.users.bob.isNormalUser = true;\n  users.users.root")
    analysis = analyze(from_mapping({p: t.encode() for p, t in files.items()}, "<test>"))
    assert any(w.message.startswith("home.username is not set to a plain string: set it to the user that runs")
               for w in analysis.warnings)


def test_without_any_state_version_the_setup_stays_on_channels_as_keep_does():
    files = files_with("{ ... }:\n{\n  imports = [ ];\n}\n")
    files["home.nix"] = HOME.replace('  home.stateVersion = "24.05";\n', "")
    snapshot = from_mapping({path: text.encode() for path, text in files.items()}, "<test>")
    analysis = analyze(snapshot)
    # Without a release to pin, no flake: the default run stays on channels as keep does.
    fallen_back = make_plan(analysis, snapshot, check_all(analysis))
    assert fallen_back.keeps_channels and "flake.nix" not in fallen_back.tree
    assert "configuration.nix: no system.stateVersion or home.stateVersion names the release" in \
        fallen_back.fallbacks[0].reason
    _analysis, plan = keep(files)
    assert plan.next_steps == fallen_back.next_steps
    assert plan.next_steps[:2] == [
        "sudo nix-channel --list  # the release YY.MM of the nixos channel, for the URLs below",
        "sudo nix-channel --add https://github.com/nix-community/home-manager/archive/release-YY.MM.tar.gz home-manager"]


def test_a_state_version_that_names_no_release_gets_the_next_release():
    from migrate.plan.channels import release_at_or_after

    # 21.03 was typed on unstable: the release after it is 21.05; until 20.09, .03 and .09.
    assert [release_at_or_after(v) for v in ("21.03", "20.09", "20.10", "19.03", "24.12", "25.11")] == [
        "21.05", "20.09", "21.05", "19.03", "25.05", "25.11"]
    files = files_with('{ ... }:\n{\n  imports = [ ];\n  system.stateVersion = "21.03";\n}\n')
    _analysis, plan = keep(files)
    assert plan.next_steps[0].endswith("/release-21.05.tar.gz home-manager")
    snapshot = from_mapping({path: text.encode() for path, text in files.items()}, "<test>")
    analysis = analyze(snapshot)
    flake = make_plan(analysis, snapshot, check_all(analysis))
    assert 'nixpkgs.url = "github:NixOS/nixpkgs/nixos-21.05";' in flake.tree["flake.nix"].decode()
    assert any("from stateVersion 21.03, which names no release: the next one is 21.05" in n for n in flake.notes)
