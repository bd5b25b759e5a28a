"""Channels setups kept in per-host folders, and the messages around them."""

from __future__ import annotations

import pytest

from migrate.analyze.analysis import analyze
from migrate.analyze.channel_entries import unnamed_entries
from migrate.analyze.evaluator import Evaluator
from migrate.errors import MigrateError
from migrate.plan import make_plan
from migrate.plan.commands import stale_commands
from migrate.plan.untracked import untracked_paths
from migrate.rules import check_all, with_plan
from migrate.snapshot import from_mapping

HARDWARE = '{ lib, ... }: { nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux"; }\n'


def host(name: str, extra_imports: str = "", state: str = "24.05", hostname: bool = True) -> str:
    set_name = f'  networking.hostName = "{name}";\n' if hostname else ""
    return (f"{{ pkgs, ... }}:\n{{\n  imports = [ ./hardware-configuration.nix {extra_imports} ];\n{set_name}"
            f'  system.stateVersion = "{state}";\n}}\n')


def home(user: str, imports: str = "") -> str:
    return (f'{{ pkgs, ... }}:\n{{\n  imports = [ {imports} ];\n  home.username = "{user}";\n'
            f'  home.homeDirectory = "/home/{user}";\n  home.stateVersion = "24.05";\n}}\n')


def repo(files: dict[str, str]):
    return from_mapping({path: text.encode() for path, text in files.items()}, "<test>")


def planned(files: dict[str, str], attach=None):
    snapshot = repo(files)
    analysis = analyze(snapshot, attach=attach)
    findings = check_all(analysis)
    plan = make_plan(analysis, snapshot, findings)
    return analysis, plan, with_plan(findings, plan)


TWO_HOSTS = {
    "hosts/kite/configuration.nix": host("kite", "../../common/base.nix"),
    "hosts/kite/hardware-configuration.nix": HARDWARE,
    "hosts/kite/home.nix": home("ana", "../../home/git.nix"),
    "hosts/wren/configuration.nix": host("wren", "../../common/base.nix", state="23.11"),
    "hosts/wren/hardware-configuration.nix": HARDWARE,
    "common/base.nix": "{ ... }: { time.timeZone = \"UTC\"; }\n",
    "home/git.nix": "{ ... }: { programs.git.enable = true; }\n",
}


def test_entry_files_are_those_no_other_file_names():
    files = {
        "hosts/a/configuration.nix": "{ imports = [ ./extra/configuration.nix ]; }\n",
        "hosts/a/extra/configuration.nix": "{ }\n",  # imported: part of host a
        "machines/b/configuration.nix": "{ }\n",
        "old/deep/er/still/configuration.nix": "{ }\n",  # deeper than a per-host folder
    }
    snapshot = repo(files)
    assert unnamed_entries(Evaluator(snapshot), snapshot, "configuration.nix") == [
        "hosts/a/configuration.nix", "machines/b/configuration.nix"]


def test_a_dynamic_import_names_every_file_under_its_folder():
    files = {
        "default.nix": "{ host }: { imports = [ ./hosts/${host}/configuration.nix ]; }\n",
        "hosts/a/configuration.nix": "{ }\n",
        "machines/b/configuration.nix": "{ }\n",
    }
    snapshot = repo(files)
    assert unnamed_entries(Evaluator(snapshot), snapshot, "configuration.nix") == ["machines/b/configuration.nix"]


def test_every_host_gets_built_and_a_home_joins_the_host_of_its_folder():
    analysis, plan, findings = planned(TWO_HOSTS)
    assert sorted(analysis.hosts) == ["kite", "wren"]
    (ana,) = analysis.homes.values()
    assert (ana.name, ana.user, ana.hosts) == ("ana", "ana", ["kite"])
    assert ana.attach_reason == "its file is in the folder of host kite"
    flake = plan.tree["flake.nix"].decode()
    kite = flake.split("nixosConfigurations.kite = nixpkgs.lib.nixosSystem {", 1)[1].split("\n      };", 1)[0]
    assert "home-manager.nixosModules.home-manager" in kite  # the manual's form: in its modules list
    wren = flake.split("nixosConfigurations.wren = nixpkgs.lib.nixosSystem {", 1)[1]
    assert "home-manager" not in wren  # no Home Manager user there
    assert "users.ana.imports = [ ./hosts/kite/home.nix ];" in flake
    # The home entry, used on kite only, stays in kite's folder; the host files stay too.
    assert not any(m.old.startswith("hosts/") for m in plan.moves)
    assert any(n.startswith("HM010/HM011: flake.nix created; nixpkgs and home-manager pinned to release 24.05 "
                            "(the newest stateVersion of the hosts: kite 24.05, wren 23.11") for n in plan.notes)
    assert not [w for w in analysis.warnings if "import cycle" in w.message]


def test_homes_of_one_user_on_two_hosts_keep_their_paths_as_names():
    files = dict(TWO_HOSTS, **{"hosts/wren/home.nix": home("ana")})
    analysis, plan, _ = planned(files)
    assert sorted(analysis.homes) == ["hosts/kite/home.nix", "hosts/wren/home.nix"]
    assert {h.name: h.hosts for h in analysis.homes.values()} == {
        "hosts/kite/home.nix": ["kite"], "hosts/wren/home.nix": ["wren"]}
    assert sorted(w.host for w in plan.wirings) == ["kite", "wren"]


def test_a_home_outside_every_host_folder_needs_attach():
    files = {k: v for k, v in TWO_HOSTS.items() if k != "hosts/kite/home.nix"}
    files["users/ana/home.nix"] = home("ana")
    with pytest.raises(MigrateError, match=r"pass --attach ana=HOST"):
        planned(files)
    _analysis, plan, _ = planned(files, attach={"ana": ["wren"]})
    assert [w.host for w in plan.wirings] == ["wren"]


def test_two_hosts_with_one_host_name_keep_their_folder_names():
    files = dict(TWO_HOSTS, **{"hosts/wren/configuration.nix": host("kite", state="23.11")})
    analysis, _plan, _ = planned(files)
    assert sorted(analysis.hosts) == ["kite", "wren"]
    assert any("networking.hostName kite is another host's too" in w.message for w in analysis.warnings)


def test_a_module_imported_by_absolute_path_keeps_the_setup_on_channels():
    # A flake cannot read /etc/nixos: the host would not build from one. Staying on
    # channels (--channels keep) still wires Home Manager in, and the report says why.
    files = dict(TWO_HOSTS, **{"hosts/wren/configuration.nix": "{ ... }: { imports = [ /etc/nixos/hardware-configuration.nix ]; "
                                                                  "system.stateVersion = \"23.11\"; }\n"})
    _analysis, plan, _findings = planned(files)
    assert plan.keeps_channels and "flake.nix" not in plan.tree and not plan.moves
    [fallback] = plan.fallbacks
    assert fallback.reason.startswith("no flake.nix is made, the setup stays on channels (as with --channels keep): "
                                      "hosts/wren/configuration.nix:1: host wren imports "
                                      "/etc/nixos/hardware-configuration.nix, outside the repository")
    assert [w.host for w in plan.wirings] == ["kite"]


def test_paths_git_does_not_track_are_noted():
    files = dict(TWO_HOSTS)
    files["hosts/wren/configuration.nix"] = (
        "{ lib, ... }: { imports = [ ./hardware-configuration.nix ] ++ "
        "lib.optional (builtins.pathExists ./secrets.nix) ./secrets.nix; system.stateVersion = \"23.11\"; }\n")
    snapshot = repo(files)
    analysis = analyze(snapshot)
    assert untracked_paths(analysis, snapshot) == [
        "hosts/wren/configuration.nix:1 names ./secrets.nix, which the repository does not hold: a flake sees only "
        "the files git tracks, so the build will not find it even where it exists on the machine (track it, "
        "encrypted if it is a secret, or drop it)"]


def test_stale_commands_are_noted():
    files = dict(TWO_HOSTS)
    files["README.md"] = ("Build: sudo nixos-rebuild switch -I nixos-config=hosts/kite/configuration.nix\n"
                          "Then: home-manager switch -f hosts/kite/home.nix\n"
                          "Later: sudo nixos-rebuild switch --flake .#kite\n")
    snapshot = repo(files)
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis), mentions=False)
    assert stale_commands(snapshot, plan, from_channels=True) == [
        "not edited: README.md:1 mentions `nixos-rebuild` without --flake: the hosts are now outputs of flake.nix "
        "(`sudo nixos-rebuild switch --flake .#HOST`)",
        "not edited: README.md:2 mentions `home-manager switch`: on kite Home Manager is now built by "
        "`sudo nixos-rebuild switch --flake .#HOST`",
    ]
    # From a flake, nixos-rebuild lines were right before and stay right.
    assert len(stale_commands(snapshot, plan, from_channels=False)) == 1


FLAKE_WITH_UNKNOWN_HOMES = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  outputs = { nixpkgs, home-manager, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/box/configuration.nix ]; };
    nixosConfigurations.idle = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/idle/configuration.nix ]; };
    homeConfigurations."ana@laptop" = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./home.nix ];
    };
  };
}
"""
FLAKE_FILES = {
    "flake.nix": FLAKE_WITH_UNKNOWN_HOMES,
    "hosts/box/configuration.nix": "{ ... }: { imports = [ ./hardware-configuration.nix ]; }\n",
    "hosts/box/hardware-configuration.nix": HARDWARE,
    "hosts/idle/configuration.nix": "{ ... }: { imports = [ ./hardware-configuration.nix ]; }\n",
    "hosts/idle/hardware-configuration.nix": HARDWARE,
    "home.nix": home("ana"),
}


def test_nothing_to_migrate_says_how_to_attach():
    _analysis, plan, findings = planned(FLAKE_FILES)
    assert plan.nothing_to_do == ("no standalone Home Manager configuration belongs to a NixOS host of this "
                                  "repository (ana@laptop names none of box, idle); if one runs on a host here, "
                                  "say which: --attach ana@laptop=box")
    assert not [f for f in findings if f.rule_id == "HM009" and "to rewrite" in f.message]


def test_a_host_already_in_its_folder_stays_there():
    _analysis, plan, _ = planned(FLAKE_FILES, attach={"ana@laptop": ["box"]})
    # idle has no Home Manager user; neither host's files were swept into modules/nixos/.
    assert [m.old for m in plan.moves] == ["home.nix"]


def test_configurations_that_cannot_be_understood_are_named():
    flake = ('{ outputs = { self, ... }: let lib = import ./lib { }; in '
             '{ nixosConfigurations.box = lib.mkHost { }; }; }\n')
    with pytest.raises(MigrateError, match=r"^flake.nix: no configuration could be understood: "
                                           r"nixosConfigurations.box \(flake.nix:1: import of missing file ./lib\)$"):
        analyze(repo({"flake.nix": flake}))
