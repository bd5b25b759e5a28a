"""The real-Nix harness (tests/flake_eval.py) against the hand-written expectations.

The expectations in tests/expected/ were written by reading each sample; the
harness gets its answer from nix-instantiate. Agreement between the two is
what lets later tests trust the harness as the independent equivalence check
of a migration. They differ by design in one way: the expectations also list
files a configuration reaches through value imports (`import ./theme.nix`,
`callPackage ./pkg.nix`), which the module system never sees as modules.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from channel_entries import CHANNEL_ENTRIES
from flake_eval import NixEvalError, evaluate_repo
from nixcheck import requires_nix

pytestmark = requires_nix

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.name for p in (ROOT / "sample-configs").iterdir() if p.is_dir())

# Files each sample's expectation reaches only through value imports, found by
# reading the samples; _value_imported() below re-checks every one of them
# against the files the evaluated configuration actually contains.
VALUE_IMPORTS = {
    "ian-style": {"pkgs/backup.nix"},  # home-manager/backup.nix: pkgs.callPackage ../pkgs/backup.nix
    "wimpy-style": {"themes/rose.nix"},  # nixos/default.nix, console/tmux.nix: import ../themes/rose.nix
    "homes-style": {"modules/shared/theme.nix"},  # modules/nixos/locale.nix, modules/home/desktop.nix
    "channels-style": {"theme.nix"},  # configuration.nix and home/foot.nix: import ./theme.nix
}

_VALUE_IMPORT = re.compile(r"\b(?:import|callPackage)\s+(\.\.?/[\w./@+-]*)")


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request):
    name = request.param
    repo = ROOT / "sample-configs" / name
    if not (repo / "flake.nix").exists() and _reads_etc_hostname(repo) and not Path("/etc/hostname").exists():
        pytest.skip("the sample's home.nix reads /etc/hostname, which this machine lacks")
    expected = json.loads((ROOT / "tests" / "expected" / name / "analysis.json").read_text())
    return name, repo, expected, evaluate_repo(repo, CHANNEL_ENTRIES.get(name))


def _reads_etc_hostname(repo: Path) -> bool:
    return any("/etc/hostname" in p.read_text() for p in repo.rglob("*.nix"))


def _value_imported(repo: Path, modules: list[str]) -> set[str]:
    """Repo files reached from `modules` through `import ./x` / `callPackage ./x`, transitively."""
    reached: set[str] = set()
    todo = list(modules)
    while todo:
        current = repo / todo.pop()
        for match in _VALUE_IMPORT.finditer(current.read_text()):
            target = Path(os.path.normpath(current.parent / match.group(1)))
            if target.is_dir():
                target = target / "default.nix"
            relative = target.relative_to(repo).as_posix()
            if target.is_file() and relative not in reached:
                reached.add(relative)
                todo.append(relative)
    return reached


def _check_modules(name: str, repo: Path, got: list[str], want: dict, where: str) -> None:
    assert set(got) <= set(want["modules"]), (where, sorted(set(got) - set(want["modules"])))
    # a module the expectation cannot decide (a condition on the machine's
    # /etc/hostname, ...) was decided by Nix here
    missing = set(want["modules"]) - set(got) - set(want.get("conditional_modules", []))
    unexplained = missing - VALUE_IMPORTS.get(name, set())
    assert not unexplained, (where, sorted(unexplained))
    not_value_imported = missing - _value_imported(repo, got)
    assert not not_value_imported, (where, sorted(not_value_imported))


def _normalise_expected_external(text: str) -> str:
    """The expectation's source text of a module entry, as the harness's marker."""
    text = " ".join(text.split())
    path_of_input = re.fullmatch(r'(\S+) \+ "(/[^"]*)"', text)
    if path_of_input:
        return f"{path_of_input.group(1).removeprefix('inputs.')}:{path_of_input.group(2)}"
    return text.removeprefix("inputs.")


def _check_external(repo: Path, got: list[str], modules: list[str], want: dict, where: str) -> None:
    expected = {_normalise_expected_external(e) for e in want["external_modules"]}
    assert expected <= set(got), (where, sorted(expected - set(got)))
    # The expectations leave out paths into nixpkgs / channels that modules
    # name themselves; each extra marker must be written in one of them.
    texts = [(repo / m).read_text() for m in modules]
    for marker in sorted(set(got) - expected):
        input_name, colon, sub = marker.partition(":")
        assert colon, (where, marker)
        patterns = [re.escape(f"<{input_name}{sub}>")]
        # modulesPath is the nixpkgs the host is built with, whatever the input is called
        if (input_name == "nixpkgs" or input_name.startswith("nixpkgs-")) and sub.startswith("/nixos/modules/"):
            patterns.append(r'modulesPath\s*\+\s*"' + re.escape(sub.removeprefix("/nixos/modules")) + '"')
        assert any(re.search(p, t) for p in patterns for t in texts), (where, marker)


def test_every_sample_is_evaluated():
    assert set(SAMPLES) >= set(VALUE_IMPORTS)
    assert SAMPLES


def test_hosts(sample):
    name, repo, expected, got = sample
    assert sorted(got["nixos"]) == sorted(expected["hosts"])
    for host, want in expected["hosts"].items():
        have = got["nixos"][host]
        assert have["system"] == want["system"], host
        _check_modules(name, repo, have["modules"], want, host)
        _check_external(repo, have["external"], have["modules"], want, host)


def test_users_of_integrated_hosts(sample):
    _name, _repo, expected, got = sample
    integrated = {(c["host"], c["user"]) for c in expected["home_configurations"].values() if c["integrated"]}
    for host, have in got["nixos"].items():
        if have["home_manager"] is None:
            assert not any(h == host for h, _ in integrated), host
        else:
            assert sorted(have["home_manager"]["users"]) == sorted(expected["hosts"][host]["users"]), host
            assert {(host, u) for u in have["home_manager"]["users"]} == {(h, u) for h, u in integrated if h == host}


def test_integrated_home_configurations(sample):
    name, repo, expected, got = sample
    for key, want in expected["home_configurations"].items():
        if not want["integrated"]:
            continue
        hm = got["nixos"][want["host"]]["home_manager"]
        have = hm["users"][want["user"]]
        _check_modules(name, repo, have["modules"], want, key)
        _check_external(repo, have["external"], have["modules"], want, key)
        assert set(hm["shared_external"]) <= set(have["external"]), key
        assert sorted(hm["extra_special_args"]) == sorted(want["extra_special_args"]), key


def test_standalone_home_configurations(sample):
    name, repo, expected, got = sample
    standalone = {k: c for k, c in expected["home_configurations"].items() if not c["integrated"]}
    if (repo / "flake.nix").exists() or any(repo.glob("*/flake.nix")) or name in CHANNEL_ENTRIES:
        # snowfall-lib exports every home as homeConfigurations, those it wires into a
        # system too: beyond the standalone ones, only integrated keys may appear
        integrated = {k for k, c in expected["home_configurations"].items() if c["integrated"]}
        assert set(standalone) <= set(got["home"]), sorted(set(standalone) - set(got["home"]))
        assert set(got["home"]) - set(standalone) <= integrated, sorted(set(got["home"]) - set(standalone) - integrated)
        pairs = [(key, got["home"][key], want) for key, want in standalone.items()]
    else:
        # a channels repo has one home.nix; the expectation names it by its user
        assert list(got["home"]) == ["home"] and len(standalone) == 1
        pairs = [(key, got["home"]["home"], want) for key, want in standalone.items()]
    for key, have, want in pairs:
        _check_modules(name, repo, have["modules"], want, key)
        _check_external(repo, have["external"], have["modules"], want, key)
        assert sorted(have["extra_special_args"]) == sorted(want["extra_special_args"]), key


# ---- the harness on small repositories built for one behaviour each ------

FLAKE = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager";
  inputs.agenix.url = "github:ryantm/agenix";
  outputs = { self, nixpkgs, home-manager, ... }@inputs: {
    %s
  };
}
"""


def _repo(tmp_path: Path, outputs: str, files: dict[str, str]) -> Path:
    (tmp_path / "flake.nix").write_text(FLAKE % outputs)
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    return tmp_path


def test_config_in_an_imports_list_fails_loudly(tmp_path):
    repo = _repo(
        tmp_path,
        "nixosConfigurations.h = nixpkgs.lib.nixosSystem { system = \"x86_64-linux\"; modules = [ ./host.nix ]; };",
        {"host.nix": "{ config, lib, ... }: { imports = lib.optional config.x.enable ./x.nix; }", "x.nix": "{ }"},
    )
    with pytest.raises(NixEvalError, match="`config` decides a module list"):
        evaluate_repo(repo)


def test_home_manager_settings_dotted_nested_and_behind_mk_functions(tmp_path):
    repo = _repo(
        tmp_path,
        """nixosConfigurations.h = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ home-manager.nixosModules.default ./host.nix ./dotted.nix ./merged.nix ];
    };""",
        {
            # a condition on config that decides no module list stays unevaluated
            "host.nix": "{ config, lib, ... }: { config = lib.mkIf config.services.x.enable { services.y = 1; }; }",
            "dotted.nix": "{ home-manager.users.ann.imports = [ ./ann.nix ]; }",
            "merged.nix": """{ lib, inputs, ... }: {
              home-manager = lib.mkMerge [
                { sharedModules = [ ./shared.nix inputs.agenix.homeManagerModules.default ]; }
                (lib.mkIf true { extraSpecialArgs.flavour = "dark"; useGlobalPkgs = lib.mkDefault true; })
                (lib.mkIf false { users.ghost = ./ghost.nix; })
              ];
            }""",
            "ann.nix": "{ flavour }: { home.sessionVariables.FLAVOUR = flavour; }",
            "shared.nix": "{ osConfig, ... }: { }",
            "ghost.nix": "{ }",
        },
    )
    hm = evaluate_repo(repo)["nixos"]["h"]["home_manager"]
    assert hm["use_global_pkgs"] is True
    assert hm["extra_special_args"] == ["flavour"]
    assert hm["shared_external"] == ["agenix.homeManagerModules.default"]
    assert hm["users"] == {
        "ann": {"modules": ["ann.nix", "shared.nix"], "external": ["agenix.homeManagerModules.default"]}
    }


def test_extend_modules_adds_modules_and_special_args(tmp_path):
    repo = _repo(
        tmp_path,
        """nixosConfigurations = let
      base = nixpkgs.lib.nixosSystem { system = "aarch64-linux"; specialArgs.a = 1; modules = [ ./base.nix ]; };
    in { base = base; more = base.extendModules { modules = [ ./more.nix ]; specialArgs.b = 2; }; };""",
        {
            "base.nix": "{ a, ... }: { }",
            "more.nix": "{ b, lib }: { imports = lib.optional (b == 2) ./two.nix; }",
            "two.nix": "{ }",
        },
    )
    got = evaluate_repo(repo)["nixos"]
    assert got["base"]["modules"] == ["base.nix"]
    assert got["more"]["modules"] == ["base.nix", "more.nix", "two.nix"]
    assert got["more"]["special_args"] == ["a", "b"]


def test_a_module_value_imported_from_a_file_is_named_after_it(tmp_path):
    repo = _repo(
        tmp_path,
        """homeConfigurations.me = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ (import ./home) { imports = [ ./inline-import.nix ]; } ];
    };""",
        {"home/default.nix": "{ pkgs, ... }: { home.username = \"me\"; }", "inline-import.nix": "{ }"},
    )
    # the inline attrset lives in flake.nix but is not flake.nix's value
    assert evaluate_repo(repo)["home"]["me"]["modules"] == ["home/default.nix", "inline-import.nix"]


def test_a_lib_function_the_stub_lacks_fails_loudly(tmp_path):
    repo = _repo(
        tmp_path,
        "nixosConfigurations.h = nixpkgs.lib.nixosSystem { system = \"x86_64-linux\"; modules = [ ./h.nix ]; };",
        {"h.nix": "{ lib, ... }: { imports = lib.noSuchFunction [ ]; }"},
    )
    with pytest.raises(NixEvalError, match="noSuchFunction"):
        evaluate_repo(repo)


def test_channels_lookups_hit_the_stubs(tmp_path):
    files = {
        "configuration.nix": """{ lib, ... }: {
          imports = [ ./hardware-configuration.nix <home-manager/nixos> <nixos-hardware/lenovo/x13> ];
          networking.hostName = lib.mkDefault "lark";
          home-manager.users.me = import ./home.nix;
        }""",
        "hardware-configuration.nix": """{ lib, modulesPath, ... }: {
          imports = [ (modulesPath + "/installer/scan/not-detected.nix") ];
          nixpkgs.hostPlatform = lib.mkDefault "aarch64-linux";
        }""",
        "home.nix": "{ pkgs, lib, ... }: { imports = lib.optional pkgs.stdenv.isLinux ./linux.nix; }",
        "linux.nix": "{ }",
    }
    for relative, text in files.items():
        (tmp_path / relative).write_text(text)
    got = evaluate_repo(tmp_path)
    host = got["nixos"]["lark"]
    assert host["system"] == "aarch64-linux"
    assert host["modules"] == ["configuration.nix", "hardware-configuration.nix"]
    assert host["external"] == [
        "home-manager:/nixos",
        "nixos-hardware:/lenovo/x13",
        "nixpkgs:/nixos/modules/installer/scan/not-detected.nix",
    ]
    assert host["home_manager"]["users"] == {"me": {"modules": ["home.nix", "linux.nix"], "external": []}}
    # standalone, home.nix gets `import <nixpkgs> { }`: the system running the test
    on_linux = sys.platform.startswith("linux")
    assert got["home"]["home"]["modules"] == ["home.nix"] + (["linux.nix"] if on_linux else [])
