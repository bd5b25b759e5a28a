"""`<channel>` lookups of a channels setup become flake inputs in every shape of module
file, files the flake does not evaluate keep them, and what cannot be edited safely
stops the run with a message (never a traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrate.analyze.analysis import analyze
from migrate.errors import MigrateError
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_mapping
from tests.nixcheck import NIX_INSTANTIATE, requires_nix

ROOT = Path(__file__).resolve().parent.parent

HOME = ('{ pkgs, ... }:\nlet\n  unstable = import <nixos-unstable> { config.allowUnfree = true; };\nin\n'
        '{\n  home.packages = [ unstable.hello ];\n  home.username = "ann";\n  home.homeDirectory = "/home/ann";\n'
        '  home.stateVersion = "24.05";\n}\n')

# One host whose modules come in every shape a module file can have.
SHAPES = {
    # `args:` - the argument gets a pattern, `args` still names everything
    "configuration.nix": ('args:\n{\n  imports = [ ./plain.nix ./let-set.nix ./at-args.nix ];\n'
                          '  environment.systemPackages = [ (import <nixos-unstable> { }).hello ];\n'
                          '  networking.hostName = "lark";\n  users.users.ann.isNormalUser = true;\n'
                          '  system.stateVersion = "24.05";\n}\n'),
    # no function at all
    "plain.nix": "# hardware of lark\n{\n  imports = [ <nixos-hardware/lenovo/x13> ];\n}\n",
    "let-set.nix": "let\n  cpu = <nixos-hardware/common/cpu/intel>;\nin\n{\n  imports = [ cpu ];\n}\n",
    # a pattern with @
    "at-args.nix": "{ config, ... }@args:\n{\n  imports = [ <nixos-hardware/common/pc/ssd> ];\n}\n",
    "home.nix": HOME,
    # nix-shell reads it with the channels; no configuration does
    "shell.nix": "with (import <nixpkgs> { });\nmkShell { buildInputs = [ git ]; }\n",
}


def planned(files: dict[str, str]):
    snapshot = from_mapping({path: text.encode() for path, text in files.items()}, "<test>")
    analysis = analyze(snapshot)
    return analysis, make_plan(analysis, snapshot, check_all(analysis))


def text(plan, path: str) -> str:
    moved = {m.old: m.new for m in plan.moves}
    return plan.tree[moved.get(path, path)].decode()


def test_each_shape_of_module_gets_the_inputs_in_scope():
    _analysis, plan = planned(SHAPES)
    assert text(plan, "configuration.nix").startswith(
        "{ inputs, pkgs, ... }@args:\n{\n")
    assert "(import inputs.nixos-unstable { system = pkgs.stdenv.hostPlatform.system; }).hello" in \
        text(plan, "configuration.nix")
    assert text(plan, "plain.nix") == (
        '# hardware of lark\n{ inputs, ... }:\n{\n  imports = [ (inputs.nixos-hardware + "/lenovo/x13") ];\n}\n')
    assert text(plan, "let-set.nix") == (
        '{ inputs, ... }:\nlet\n  cpu = (inputs.nixos-hardware + "/common/cpu/intel");\nin\n{\n  imports = [ cpu ];\n}\n')
    assert text(plan, "at-args.nix").startswith("{ config, inputs, ... }@args:\n")
    assert "import inputs.nixos-unstable {" in text(plan, "home.nix")
    assert text(plan, "home.nix").startswith("{ pkgs, inputs, ... }:\n")


def test_files_no_configuration_evaluates_keep_their_lookups():
    _analysis, plan = planned(SHAPES)
    assert text(plan, "shell.nix") == SHAPES["shell.nix"]
    assert "shell.nix" not in plan.changed
    assert any(n.startswith("HM011: lookups left as they are in files no host or migrated home evaluates "
                            "(shell.nix:1)") for n in plan.notes)


@requires_nix
def test_every_shape_parses():
    _analysis, plan = planned(SHAPES)
    for path in sorted(plan.changed):
        if path.endswith(".nix"):
            result = subprocess.run([NIX_INSTANTIATE, "--parse", "--expr", plan.tree[path].decode()],
                                    capture_output=True, text=True)
            assert result.returncode == 0, (path, result.stderr)


@requires_nix
def test_every_shape_evaluates_the_same_modules_with_real_nix(tmp_path):
    from tests.flake_eval import evaluate_repo

    repo = tmp_path / "repo"
    repo.mkdir()
    for path, content in SHAPES.items():
        (repo / path).write_text(content)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--out", str(out), "--no-color"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    before, after = evaluate_repo(repo), evaluate_repo(out)
    moved = {m.old: m.new for m in planned(SHAPES)[1].moves}
    old_host, new_host = before["nixos"]["lark"], after["nixos"]["lark"]
    assert new_host["modules"] == sorted(moved.get(p, p) for p in old_host["modules"])
    # The same nixos-hardware modules, from the input now; plus the home-manager module.
    assert sorted(new_host["external"]) == sorted(old_host["external"] + ["home-manager.nixosModules.home-manager"])
    assert after["nixos"]["lark"]["home_manager"]["users"]["ann"]["modules"] == sorted(
        moved.get(p, p) for p in before["home"]["home"]["modules"])


def test_a_lookup_in_a_file_read_as_a_value_stops_the_run():
    files = dict(SHAPES)
    files["pinned.nix"] = "import <nixos-unstable> { }\n"
    files["configuration.nix"] = ('{ ... }:\nlet\n  unstable = import ./pinned.nix;\nin\n{\n'
                                  '  environment.systemPackages = [ unstable.hello ];\n'
                                  '  system.stateVersion = "24.05";\n}\n')
    with pytest.raises(MigrateError, match=r"^pinned.nix:1: <nixos-unstable> is in a file read as a value "
                                           r"\(read by configuration.nix:3\), not as a module"):
        planned(files)


def test_a_lookup_outside_the_module_function_stops_the_run():
    files = dict(SHAPES)
    files["configuration.nix"] = ('let\n  unstable = import <nixos-unstable> { };\nin\n{ ... }:\n{\n'
                                  '  environment.systemPackages = [ unstable.hello ];\n'
                                  '  system.stateVersion = "24.05";\n}\n')
    with pytest.raises(MigrateError, match=r"^configuration.nix:2: <nixos-unstable> is outside the module's "
                                           r"function \(in a `let` around it\)"):
        planned(files)


def test_a_home_manager_checkout_gets_the_hosts_packages():
    files = dict(SHAPES)
    files["configuration.nix"] = ('{ config, ... }:\nlet\n  hm = import <home-manager> { };\nin\n{\n'
                                  '  imports = [ <home-manager/nixos> ];\n'
                                  '  environment.systemPackages = [ hm.home-manager ];\n'
                                  '  system.stateVersion = "24.05";\n}\n')
    _analysis, plan = planned(files)
    host = text(plan, "configuration.nix")
    assert host.startswith("{ config, inputs, pkgs, ... }:\n")
    assert "hm = import inputs.home-manager { inherit pkgs; };" in host  # no `system`: it takes none
    assert 'imports = [ (inputs.home-manager + "/nixos") ];' in host


def test_no_traceback_on_the_command_line(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    files = dict(SHAPES, **{"pinned.nix": "import <nixos-unstable> { }\n",
                            "configuration.nix": '{ ... }: let u = import ./pinned.nix; in '
                                                 '{ environment.systemPackages = [ u.hello ]; '
                                                 'system.stateVersion = "24.05"; }\n'})
    for path, content in files.items():
        (repo / path).write_text(content)
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--dry-run", "--no-color"],
                            capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stderr.startswith("migrate: pinned.nix:1: <nixos-unstable> is in a file read as a value")
