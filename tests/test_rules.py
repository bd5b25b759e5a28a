"""The rule catalogue (migrate/rules): detection on the sample repositories and on
small repositories written here, the registry, `--explain`, and the explanations'
Nix examples."""

import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.analyze.analysis import analyze
from migrate.cli import command
from migrate.rules import BY_ID, RULES, check_all, explain
from migrate.snapshot import from_directory, from_mapping
from tests.nixcheck import assert_nix_parses

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.name for p in (ROOT / "sample-configs").iterdir() if p.is_dir())

_CACHE: dict = {}


def sample(name):
    if name not in _CACHE:
        _CACHE[name] = analyze(from_directory(ROOT / "sample-configs" / name))
    return _CACHE[name]


def run(rule_id, analysis):
    return BY_ID[rule_id].check(analysis)


def at(findings, file, line):
    hits = [f for f in findings if f.file == file and f.line == line]
    assert hits, f"no finding at {file}:{line}; have {[f.location() for f in findings]}"
    return hits[0] if len(hits) == 1 else hits


def locations(findings):
    return sorted(f.location() for f in findings)


# -- small repositories ---------------------------------------------------------------------

FLAKE_INPUTS = """\
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
"""

DEFAULT_HOST = """\
{ ... }:
{
  networking.hostName = "box";
  users.users.ann = {
    isNormalUser = true;
  };
}
"""

DEFAULT_HOME = """\
{ pkgs, ... }:
{
  home.stateVersion = "24.11";
  programs.git.enable = true;
}
"""


def small_repo(host=DEFAULT_HOST, home=DEFAULT_HOME, inputs=FLAKE_INPUTS, hm_args="", homes=None, hosts=None,
               extra_files=None):
    hosts = hosts if hosts is not None else {"box": "./host.nix"}
    homes = homes if homes is not None else {'"ann@box"': "./home.nix"}
    host_text = "".join(
        f"    nixosConfigurations.{name} = nixpkgs.lib.nixosSystem {{ modules = [ {path} ]; }};\n"
        for name, path in hosts.items())
    home_text = "".join(
        f"    homeConfigurations.{key} = home-manager.lib.homeManagerConfiguration {{\n"
        f"      pkgs = nixpkgs.legacyPackages.x86_64-linux;\n{hm_args}"
        f"      modules = [ {path} ];\n"
        f"    }};\n"
        for key, path in homes.items())
    flake = ("{\n  inputs = {\n" + inputs + "  };\n"
             "  outputs = { self, nixpkgs, home-manager, ... }@inputs: {\n" + host_text + home_text + "  };\n}\n")
    files = {"flake.nix": flake, "host.nix": host, "home.nix": home}
    files.update(extra_files or {})
    return analyze(from_mapping(files))


# -- the registry -----------------------------------------------------------------------------


def test_rules_are_the_catalogue_in_id_order():
    assert [r.id for r in RULES] == [f"HM{n:03d}" for n in range(1, 13)]
    files = sorted(p.name for p in (ROOT / "migrate" / "rules").glob("hm0*.py"))
    assert len(files) == 12
    for rule, name in zip(RULES, files):
        assert name.startswith(rule.id.lower() + "_"), (rule.id, name)
        assert name == f"{rule.id.lower()}_{rule.name}.py"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_texts(rule):
    assert rule.message and "\n" not in rule.message
    assert rule.fix and "\n" not in rule.fix
    for section in ("What it does", "Why", "Example", "Fix"):
        assert re.search(rf"^{section}$", rule.explanation, re.M), (rule.id, section)
    text = explain(rule.id)
    assert text.startswith(f"{rule.id}: {rule.message}")
    assert ("safe" if rule.safe else "needs review") in text


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_explanation_examples_parse(rule):
    blocks = re.findall(r"```nix\n(.*?)```", rule.explanation, re.S)
    assert len(blocks) >= 2, f"{rule.id}: needs a before and an after example"
    for block in blocks:
        assert_nix_parses(textwrap.dedent(block))


def test_explain_is_case_insensitive_and_lists():
    assert explain("hm001") == explain("HM001")
    assert explain(" Hm012 ") == explain("HM012")
    assert explain("HM999") is None
    table = explain("list")
    for rule in RULES:
        assert f"{rule.id}  {rule.message}" in table


def test_cli_explain():
    runner = CliRunner()
    result = runner.invoke(command, ["--explain", "HM001"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("HM001: ")
    assert "useGlobalPkgs" in result.output and "What it does" in result.output
    result = runner.invoke(command, ["--explain", "hm009"])
    assert result.exit_code == 0 and "HM009" in result.output
    result = runner.invoke(command, ["--explain", "list"])
    assert result.exit_code == 0 and "HM012" in result.output


def test_cli_explain_unknown_rule():
    result = CliRunner().invoke(command, ["--explain", "HM999"])
    assert result.exit_code == 2
    assert "HM999" in result.output and "unknown rule" in result.output


# -- check_all --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_check_all_on_every_sample(name):
    analysis = sample(name)
    before = len(analysis.warnings)
    findings = check_all(analysis)
    assert not [f for f in findings if f.data.get("internal_error")], [str(f) for f in findings]
    assert len(analysis.warnings) == before, "rules must not add analysis warnings"
    for finding in findings:
        assert finding.rule_id in BY_ID
        if finding.file is not None:
            assert finding.file in analysis.files or finding.file in ("flake.nix",) or \
                analysis.evaluator.snapshot.is_file(finding.file)
            assert isinstance(finding.line, int) and finding.line >= 1
        finding.to_json()


def test_already_migrated_has_nothing_to_report():
    assert check_all(sample("already-migrated")) == []


def test_check_all_is_robust_on_odd_repositories():
    odd = analyze(from_mapping({
        "flake.nix": """{
          inputs.hm.url = "github:nix-community/home-manager";
          outputs = { self, nixpkgs, hm, ... }: {
            homeConfigurations.x = hm.lib.homeManagerConfiguration {
              pkgs = import nixpkgs { overlays = builtins.throw "no"; };
              extraSpecialArgs = builtins.listToAttrs [ ];
              modules = [ ./h.nix ({ ... }: { nixpkgs = import ./np.nix; }) ];
            };
          };
        }""",
        "h.nix": "{ lib, ... }: lib.mkMerge [ { nixpkgs.config = null; } (if true then { } else { }) ]",
        "np.nix": "{ }",
    }))
    findings = check_all(odd)
    assert not [f for f in findings if f.data.get("internal_error")], [str(f) for f in findings]
    follows = [f for f in findings if f.rule_id == "HM010"]
    assert follows and follows[0].data["input"] == "hm"


def test_a_failing_rule_becomes_a_finding():
    import migrate.rules.hm005_self_management as hm005

    def broken(analysis):
        raise RuntimeError("boom")

    rule = hm005.RULE
    object.__setattr__(rule, "detect", broken)
    try:
        findings = check_all(sample("ian-style"))
    finally:
        object.__setattr__(rule, "detect", hm005.detect)
    failed = [f for f in findings if f.rule_id == "HM005"]
    assert len(failed) == 1 and failed[0].data["internal_error"] and "boom" in failed[0].message
    assert any(f.rule_id == "HM001" for f in findings)


# -- HM001 ------------------------------------------------------------------------------------


def test_hm001_pkgs_argument_with_config_ian_style():
    found = run("HM001", sample("ian-style"))
    finding = at(found, "flake.nix", 48)
    assert finding.data["source"] == "pkgs argument"
    assert finding.data["options"] == ["nixpkgs.config"]
    # kestrel sets nixpkgs.config.allowUnfree = true in its inline module (flake.nix:36)
    assert finding.data["hosts"]["kestrel"]["config"]["sets"] is True
    assert "flake.nix:36" in finding.data["hosts"]["kestrel"]["config"]["where"]
    assert finding.data["conflict"] is False
    assert finding.data["action"].startswith("drop")
    assert len(found) == 1


def test_hm001_modules_setting_nixpkgs_wimpy_style():
    found = run("HM001", sample("wimpy-style"))
    assert locations(found) == ["home-manager/default.nix:43", "home-manager/default.nix:50"]
    overlays = at(found, "home-manager/default.nix", 43)
    config = at(found, "home-manager/default.nix", 50)
    assert overlays.data["options"] == ["nixpkgs.overlays"]
    assert config.data["options"] == ["nixpkgs.config"]
    assert overlays.data["both_config_and_overlays"] is True
    # nixos/default.nix sets the same overlays and allowUnfree (the predicate is redundant)
    assert sorted(overlays.data["hosts"]) == ["forge", "kestrel", "shard"]
    assert overlays.data["hosts"]["forge"]["covers"] is True
    assert config.data["hosts"]["forge"]["covers"] is True
    assert not overlays.data["conflict"] and not config.data["conflict"]
    # only configurations that move into a host: not dana@quill / deck@steamdeck
    assert "dana@quill" not in config.data["configurations"]
    assert "dana@forge" in config.data["configurations"]


def test_hm001_channels_home_nix():
    found = run("HM001", sample("channels-style"))
    assert locations(found) == ["home.nix:38"]
    assert found[0].data["hosts"]["lark"]["covers"] is True


def test_hm001_module_settings_are_kept_with_own_package_set():
    home = '{ ... }:\n{\n  home.stateVersion = "24.11";\n  nixpkgs.overlays = [ (final: prev: { }) ];\n}\n'
    moved = run("HM001", small_repo(home=home))
    assert locations(moved) == ["home.nix:4"]
    assert moved[0].data["hosts"]["box"] == {"sets": False, "where": [], "covers": False}
    # Home Manager keeps building its own packages (useGlobalPkgs = false): the host is not changed.
    assert moved[0].data["action"].startswith("keep: useGlobalPkgs = false")
    assert "hosts set the same" not in moved[0].data["action"]
    assert moved[0].data["both_config_and_overlays"] is False
    host = '{ ... }:\n{\n  users.users.ann.isNormalUser = true;\n  nixpkgs.overlays = [ (import ./o.nix) ];\n}\n'
    kept = run("HM001", small_repo(host=host, home=home, extra_files={"o.nix": "final: prev: { }"}))
    assert kept[0].data["conflict"] is True
    assert kept[0].data["hosts"]["box"]["where"] == ["host.nix:4"]
    assert "useGlobalPkgs = false" in kept[0].data["action"]


def test_hm001_dropped_pkgs_argument_is_restated_when_the_plan_keeps_own_packages():
    # `pkgs` built with config the host has (dropped), while a Home Manager module sets
    # nixpkgs.config itself: the plan says useGlobalPkgs = false, so Home Manager builds its
    # own packages and the `pkgs` settings are carried (as the default they were standalone).
    from migrate.plan import make_plan
    from migrate.rules import check_all, with_plan

    host = '{ ... }:\n{\n  users.users.ann.isNormalUser = true;\n  nixpkgs.config.allowUnfree = true;\n}\n'
    home = '{ ... }:\n{\n  home.stateVersion = "24.11";\n  nixpkgs.config.allowUnfree = true;\n}\n'
    flake = ("{\n  inputs = {\n" + FLAKE_INPUTS + "  };\n  outputs = { self, nixpkgs, home-manager, ... }: {\n"
             "    nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; };\n"
             '    homeConfigurations."ann@box" = home-manager.lib.homeManagerConfiguration {\n'
             '      pkgs = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };\n'
             "      modules = [ ./home.nix ];\n    };\n  };\n}\n")
    analysis = analyze(from_mapping({"flake.nix": flake, "host.nix": host, "home.nix": home}))
    findings = check_all(analysis)
    pkgs_finding = next(f for f in findings if f.rule_id == "HM001" and f.data["source"] == "pkgs argument")
    assert pkgs_finding.data["action"] == "drop: every host already sets the same (useGlobalPkgs = true)"
    plan = make_plan(analysis, analysis.evaluator.snapshot, findings)
    assert [w.use_global_pkgs for w in plan.wirings] == [False]
    restated = next(f for f in with_plan(findings, plan) if f.rule_id == "HM001" and f.data["source"] == "pkgs argument")
    assert "useGlobalPkgs = true" not in restated.message
    assert restated.message.endswith(
        "carried: useGlobalPkgs = false, and a Home Manager module of the user sets nixpkgs.config (as a default, "
        "as standalone did) to what `pkgs` had (Home Manager builds its own packages for: home.nix:4: a Home "
        "Manager module sets `nixpkgs.config`)")
    assert plan.wirings[0].package_modules["ann"].lines == ["nixpkgs.config = lib.mkDefault { allowUnfree = true; };"]


def test_hm001_negative():
    assert run("HM001", small_repo()) == []
    assert run("HM001", sample("homes-style")) == []


# -- HM002 ------------------------------------------------------------------------------------


def test_hm002_wimpy_per_host_values():
    found = run("HM002", sample("wimpy-style"))
    assert sorted(f.root for f in found) == ["console@forge", "dana@forge", "dana@kestrel", "dana@shard"]
    finding = next(f for f in found if f.root == "dana@forge")
    assert finding.location() == "lib/helpers.nix:18"
    assert finding.data["names"] == ["desktop", "hostname", "inputs", "outputs", "platform", "stateVersion", "username"]
    for name in ("hostname", "desktop", "platform"):
        assert name in finding.data["per_host"]
    assert "inputs" not in finding.data["per_host"] and "stateVersion" not in finding.data["per_host"]
    assert finding.data["values"]["hostname"] == "forge" and finding.data["values"]["desktop"] == "hyprland"


def test_hm002_ian_style_and_negative():
    found = run("HM002", sample("ian-style"))
    assert locations(found) == ["flake.nix:49"]
    assert found[0].data["names"] == ["inputs", "unstable", "vars"]
    assert found[0].data["per_host"] == []
    assert run("HM002", small_repo()) == []


def test_hm002_users_of_one_host_with_different_values():
    repo = small_repo(
        hm_args="", homes={'"ann@box"': "./home.nix", '"bob@box"': "./home.nix"},
        host=DEFAULT_HOST.replace("}\n}", "}\n  users.users.bob.isNormalUser = true;\n}"),
    )
    assert run("HM002", repo) == []  # no extraSpecialArgs at all
    flake = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  outputs = { self, nixpkgs, home-manager, ... }:
    let
      mk = user: home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        extraSpecialArgs = { username = user; };
        modules = [ ./home.nix ];
      };
    in {
      nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; };
      homeConfigurations."ann@box" = mk "ann";
      homeConfigurations."bob@box" = mk "bob";
    };
}
"""
    analysis = analyze(from_mapping({"flake.nix": flake, "host.nix": DEFAULT_HOST, "home.nix": DEFAULT_HOME}))
    found = run("HM002", analysis)
    assert locations(found) == ["flake.nix:8", "flake.nix:8"]
    assert all(f.data["conflicts"] for f in found)
    assert "username" in found[0].data["per_host"]


# -- HM003 ------------------------------------------------------------------------------------


def test_hm003_modules_list_ian_style():
    found = run("HM003", sample("ian-style"))
    assert locations(found) == ["flake.nix:51"]
    assert found[0].data["module"] == "inputs.nixvim.homeModules.nixvim"
    assert found[0].data["listed_in"] == "modules-list"


def test_hm003_imported_wimpy_style():
    found = run("HM003", sample("wimpy-style"))
    assert locations(found) == ["home-manager/default.nix:24"]
    assert found[0].data["listed_in"] == "imported"
    assert sorted(found[0].data["configurations"]) == ["console@forge", "dana@forge", "dana@kestrel", "dana@shard"]


def test_hm003_negative():
    assert run("HM003", small_repo()) == []
    assert run("HM003", sample("channels-style")) == []


# -- HM004 ------------------------------------------------------------------------------------


def test_hm004_ian_style_host_defines_user_through_interpolation():
    found = run("HM004", sample("ian-style"))
    assert locations(found) == ["home-manager/home.nix:19", "home-manager/home.nix:20"]
    username = at(found, "home-manager/home.nix", 19)
    assert username.data["option"] == "home.username"
    # nixos/users.nix:6 is `users.users.${vars.username} = {`
    assert username.data["hosts"]["tomas@kestrel"]["users_users"] == "defined"
    assert username.data["hosts"]["tomas@kestrel"]["where"] == ["nixos/users.nix:6"]
    assert username.data["missing"] == []


def test_hm004_wimpy_inherit_and_channels():
    found = run("HM004", sample("wimpy-style"))
    assert locations(found) == ["home-manager/default.nix:33", "home-manager/default.nix:34"]
    assert at(found, "home-manager/default.nix", 33).data["hosts"]["dana@forge"]["where"] == \
        ["nixos/_mixins/users/dana/default.nix:9"]
    channels = run("HM004", sample("channels-style"))
    assert locations(channels) == ["home.nix:26", "home.nix:27"]
    assert at(channels, "home.nix", 26).data["equal"] is True
    assert at(channels, "home.nix", 27).data["equal"] is True


def test_hm004_host_without_the_user():
    home = '{ ... }:\n{\n  home.username = "ann";\n  home.homeDirectory = "/srv/ann";\n}\n'
    found = run("HM004", small_repo(host='{ ... }:\n{\n  networking.hostName = "box";\n}\n', home=home))
    assert locations(found) == ["home.nix:3", "home.nix:4"]
    assert at(found, "home.nix", 3).data["missing"] == ["ann@box"]
    assert at(found, "home.nix", 4).data["equal"] is None  # not /home/ann: cannot tell, review
    wrong = run("HM004", small_repo(home='{ ... }:\n{\n  home.username = "anne";\n}\n'))
    assert wrong[0].data["equal"] is False and "conflicting" in wrong[0].message


def test_hm004_negative():
    assert run("HM004", small_repo()) == []
    assert run("HM004", sample("homes-style")) == []


# -- HM005 ------------------------------------------------------------------------------------


def test_hm005_samples():
    ian = run("HM005", sample("ian-style"))
    assert locations(ian) == ["home-manager/home.nix:39"]
    assert ian[0].data["still_needed_by"] == []
    wimpy = run("HM005", sample("wimpy-style"))
    assert locations(wimpy) == ["home-manager/default.nix:63"]
    assert wimpy[0].data["still_needed_by"] == ["dana@quill", "deck@steamdeck"]


def test_hm005_home_manager_in_home_packages():
    home = ('{ pkgs, ... }:\n{\n  home.packages = with pkgs; [\n    ripgrep\n    home-manager\n  ];\n'
            '  programs.home-manager.enable = false;\n}\n')
    found = run("HM005", small_repo(home=home))
    assert locations(found) == ["home.nix:5"]
    assert found[0].data["option"] == "home.packages"


def test_hm005_negative():
    assert run("HM005", small_repo()) == []


# -- HM006 ------------------------------------------------------------------------------------


def test_hm006_steamdeck_is_kept():
    found = run("HM006", sample("wimpy-style"))
    assert locations(found) == ["home-manager/_mixins/users/deck/hosts/steamdeck.nix:4"]
    assert found[0].data["action"] == "keep"
    assert found[0].data["standalone_configurations"] == ["deck@steamdeck"]


def test_hm006_on_a_nixos_host_is_dropped():
    home = '{ ... }:\n{\n  targets.genericLinux.enable = true;\n}\n'
    found = run("HM006", small_repo(home=home))
    assert locations(found) == ["home.nix:3"]
    assert found[0].data["action"] == "drop" and found[0].data["hosts"] == ["box"]
    both = run("HM006", small_repo(home=home, homes={'"ann@box"': "./home.nix", '"ann@fedora"': "./home.nix"}))
    assert both[0].data["action"] == "review"


def test_hm006_negative():
    assert run("HM006", sample("ian-style")) == []
    assert run("HM006", small_repo(home='{ ... }:\n{\n  targets.genericLinux.enable = false;\n}\n')) == []


# -- HM007 ------------------------------------------------------------------------------------


def test_hm007_every_attached_configuration():
    found = run("HM007", sample("ian-style"))
    assert locations(found) == ["flake.nix:47"]
    assert found[0].data["backup_extension"] == "hm-backup"
    wimpy = run("HM007", sample("wimpy-style"))
    assert locations(wimpy) == ["flake.nix:35", "flake.nix:36", "flake.nix:37", "flake.nix:42"]
    assert wimpy[0].data["backup_extension"] == "backup"  # `home-manager switch -b backup` in the justfile
    assert "backup" in wimpy[0].data["extensions_in_use"]


def test_hm007_negative():
    assert run("HM007", sample("homes-style")) == []
    assert run("HM007", small_repo(hosts={})) == []


# -- HM008 ------------------------------------------------------------------------------------


def test_hm008_same_user_twice_on_one_host():
    found = run("HM008", sample("wimpy-style"))
    assert locations(found) == ["flake.nix:35", "flake.nix:42"]
    assert all(f.data["host"] == "forge" and f.data["user"] == "dana" for f in found)
    assert found[0].data["configurations"] == ["console@forge", "dana@forge"]
    assert found[0].data["likely"] == "dana@forge"


def test_hm008_ambiguous_attachment():
    # Two hosts, a bare user key, and no host declares its users: nothing says which.
    host = '{ ... }:\n{\n  networking.firewall.enable = true;\n}\n'
    repo = small_repo(host=host, hosts={"box": "./host.nix", "tower": "./host.nix"}, homes={"ann": "./home.nix"})
    found = run("HM008", repo)
    assert len(found) == 1
    assert found[0].location() == "flake.nix:10"
    assert found[0].data["kind"] == "ambiguous" and found[0].data["candidates"] == ["box", "tower"]
    assert "--attach ann=HOST" in found[0].message


def test_hm008_negative():
    assert run("HM008", sample("ian-multihost")) == []
    assert run("HM008", small_repo()) == []


# -- HM009 ------------------------------------------------------------------------------------


def test_hm009_wimpy_interpolated_and_concatenated():
    found = run("HM009", sample("wimpy-style"))
    entry = at(found, "home-manager/default.nix", 25)
    assert entry.data["moves"] is True
    assert entry.data["interpolated"] == 4 and entry.data["concatenated"] == 1
    helpers = at(found, "lib/helpers.nix", 29)
    assert helpers.data["moves"] is False and helpers.data["count"] == 2  # ../home-manager, ../nixos
    assert "flake.nix" not in {f.file for f in found}  # ./lib, ./overlays, ./pkgs, ./shell.nix stay


def test_hm009_ian_style_assets_and_staying_files():
    found = run("HM009", sample("ian-style"))
    flake = at(found, "flake.nix", 42)
    assert flake.data["count"] == 2  # ./nixos/configuration.nix, ./home-manager/home.nix; not ./pkgs/backup.nix
    tmux = at(found, "home-manager/tmux.nix", 5)
    assert tmux.data["assets"] == 1
    assert at(found, "home-manager/hyprland.nix", 4).data["in_string"] == 1


def test_hm009_negative():
    assert run("HM009", sample("already-migrated")) == []
    # host.nix and home.nix have no relative paths: only the flake's ./host.nix and ./home.nix
    assert locations(run("HM009", small_repo())) == ["flake.nix:8"]
    assert run("HM009", small_repo())[0].data["moves"] is False


# -- HM010 ------------------------------------------------------------------------------------


def test_hm010_missing_follows_and_missing_input():
    no_follows = small_repo(inputs='    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";\n'
                                   '    home-manager = {\n      url = "github:nix-community/home-manager/release-24.05";\n    };\n')
    found = run("HM010", no_follows)
    assert locations(found) == ["flake.nix:4"]
    assert found[0].data["follows"] is None and found[0].data["release_mismatch"] is True
    other = small_repo(inputs=FLAKE_INPUTS.replace('follows = "nixpkgs"', 'follows = "nixpkgs-unstable"'))
    assert run("HM010", other)[0].data["follows"] == "nixpkgs-unstable"
    flake = """{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  };
  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; };
  };
}
"""
    missing = run("HM010", analyze(from_mapping({"flake.nix": flake, "host.nix": DEFAULT_HOST})))
    assert locations(missing) == ["flake.nix:2"] and missing[0].data["has_input"] is False


def test_hm010_channels_get_a_flake():
    found = run("HM010", sample("channels-style"))
    assert len(found) == 1 and found[0].file is None and found[0].data["flake"] is False


@pytest.mark.parametrize("name", ["ian-style", "ian-multihost", "wimpy-style", "homes-style", "already-migrated"])
def test_hm010_negative(name):
    assert run("HM010", sample(name)) == []


# -- HM011 ------------------------------------------------------------------------------------


def test_hm011_channels():
    found = run("HM011", sample("channels-style"))
    assert locations(found) == ["configuration.nix:14", "configuration.nix:21", "home.nix:10"]
    assert at(found, "configuration.nix", 21).data["channel"] == "nixos-hardware"
    assert at(found, "configuration.nix", 21).data["subpath"] == "lenovo/thinkpad/x1/9th-gen"
    assert at(found, "home.nix", 10).data["lookup"] == "<nixos-unstable>"


def test_hm011_wimpy_shell_and_home_manager_nixos():
    found = run("HM011", sample("wimpy-style"))
    assert locations(found) == ["shell.nix:4"]
    assert found[0].data["channel"] == "nixpkgs"
    host = '{ ... }:\n{\n  imports = [ <home-manager/nixos> ];\n  users.users.ann.isNormalUser = true;\n}\n'
    hm = run("HM011", small_repo(host=host))
    assert locations(hm) == ["host.nix:3"] and hm[0].data["channel"] == "home-manager"


def test_hm011_negative():
    assert run("HM011", sample("ian-style")) == []  # `<leader>ff` in strings is not a lookup


# -- HM012 ------------------------------------------------------------------------------------


def test_hm012_standalone_only():
    found = run("HM012", sample("wimpy-style"))
    assert locations(found) == ["flake.nix:45", "flake.nix:50"]
    assert at(found, "flake.nix", 45).data["platform"] == "aarch64-darwin"
    assert at(found, "flake.nix", 50).root == "deck@steamdeck"
    homes = run("HM012", sample("homes-style"))
    assert sorted(f.root for f in homes) == ["rhea", "tomasz"]


def test_hm012_negative():
    assert run("HM012", sample("ian-style")) == []
    assert run("HM012", sample("ian-multihost")) == []
