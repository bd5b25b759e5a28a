"""Values carried from a standalone configuration into a host's wiring in flake.nix:
names a helper binds (its parameters, its own lets) are re-expressed where the host is
wired, and the migrated flake, evaluated again by real Nix with stub inputs, gives each
user the same extraSpecialArgs values and the same package settings as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flake_eval import evaluate_repo
from migrate.analyze.analysis import analyze
from migrate.errors import MigrateError
from migrate.nix.parse import parse_text
from migrate.nix.scopes import binder, free_variables, means_the_same
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_directory
from migrate.verify import verify
from nixcheck import NIX_INSTANTIATE, requires_nix

HOST = """{ ... }:
{
  users.users.noor.isNormalUser = true;
  system.stateVersion = "24.11";
}
"""
HOME = """{ ... }:
{
  home.stateVersion = "24.11";
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def migrate_to(repo: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "migrate", str(repo), "--out", str(out), "--no-color"],
                          capture_output=True, text=True)


def planned(repo: Path):
    snapshot = from_directory(repo)
    analysis = analyze(snapshot)
    findings = check_all(analysis)
    return analysis, findings, make_plan(analysis, snapshot, findings)


# -- scopes ------------------------------------------------------------------------------------


def node_of(nix, text: str, skip: int = 0):
    """The node written as TEXT (from SKIP bytes into its first occurrence)."""
    start = nix.data.index(text.encode()) + skip
    end = start + len(text.encode()) - skip
    node = nix.root
    while node.text_range() != (start, end):
        node = next(c for c in node.children() if c.text_range()[0] <= start and end <= c.text_range()[1])
    return node


def test_free_variables_follow_nix_scoping():
    nix = parse_text("""
      let a = 1; inherit (b) c; in
      { x, y ? x, ... }@args: z:
      rec { inherit d; e.${f} = a.g.${h} or i; j = k ? l; m = with n; o; p = "${q}"; r = ./s/${t}; u = e; }
    """, "x.nix")
    # a, c (let), x y args z (function), e j m p r u (rec) are bound; attribute names are not variables
    assert free_variables(nix.root) == ["b", "d", "f", "h", "i", "k", "n", "o", "q", "t"]


def test_a_name_means_the_same_only_under_the_same_binding():
    nix = parse_text("""
      { users, ... }:
      let
        mkHome = user: { person = users.${user}; };
        inner = let users = { }; in users;
      in
      { host = users.ann; other = inner; }
    """, "x.nix")
    written = node_of(nix, "users.${user}")
    site = node_of(nix, "users.ann")
    assert means_the_same("users", written, site)
    assert not means_the_same("user", written, site)
    assert binder(written, "user").kind() == "NODE_LAMBDA"
    assert binder(site, "user") is None
    shadowed = node_of(nix, "in users", skip=3)  # under the inner let
    assert not means_the_same("users", shadowed, site)
    assert means_the_same("builtins", written, site)


# -- a helper's parameters and lets ----------------------------------------------------------

HELPER_FLAKE = """{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
  };

  outputs =
    { self, nixpkgs, home-manager, ... }@inputs:
    let
      people = {
        noor = { fullName = "Noor Haddad"; avatar = ./assets/noor.png; };
        theo = { fullName = "Theo Lind"; avatar = ./assets/theo.png; };
      };
      # one helper for every machine: the user and host are its parameters
      mkHome =
        system: user: host: deps:
        let
          profile = people.${user} // { inherit host; };
          greet = name: "hello ${name}";
        in
        home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.${system};
          extraSpecialArgs = {
            inherit inputs profile deps;
            person = people.${user};
            greeting = greet;
            machine = host;
            assets = "${self}/assets";
          };
          modules = [
            ./home/common.nix
            { home.username = user; }
          ];
        };
    in
    {
      nixosConfigurations.ember = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/ember/configuration.nix ];
      };
      homeConfigurations = {
        "noor@ember" = mkHome "x86_64-linux" "noor" "ember" inputs;
        "theo@studio" = mkHome "aarch64-darwin" "theo" "studio" inputs;
      };
    };
}
"""


@pytest.fixture
def helper_repo(tmp_path):
    return write(tmp_path / "repo", {"flake.nix": HELPER_FLAKE, "hosts/ember/configuration.nix": HOST,
                                     "home/common.nix": HOME, "assets/noor.png": "", "assets/theo.png": ""})


def test_names_a_helper_binds_are_bound_where_the_host_is_wired(helper_repo):
    _analysis, _findings, plan = planned(helper_repo)
    flake = plan.tree["flake.nix"].decode()
    assert "person = let user = \"noor\"; in people.${user};" in flake
    assert 'profile = let user = "noor"; host = "ember"; in people.${user} // { inherit host; };' in flake
    assert 'greeting = let greet = name: "hello ${name}"; in greet;' in flake
    assert 'machine = "ember";' in flake
    assert 'assets = "${self}/assets";' in flake  # a string made from a path: its expression, not its text
    assert 'users.noor.imports = [ ./modules/home (let user = "noor"; in { home.username = user; }) ];' in flake
    assert "inherit inputs;" in flake
    assert "deps = inputs;" in flake  # the expression that gave the parameter its value, not its value
    # the helper stays: theo@studio still uses it
    assert "mkHome =\n        system: user: host: deps:\n        let\n          profile = people.${user}" in flake
    assert '"theo@studio" = mkHome "aarch64-darwin" "theo" "studio" inputs;' in flake


@requires_nix
def test_the_carried_values_evaluate_to_what_the_standalone_home_had(helper_repo, tmp_path):
    result = migrate_to(helper_repo, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    names = ("person", "profile", "greeting", "machine", "assets")
    before = evaluate_repo(helper_repo, describe=names)["home"]["noor@ember"]
    after = evaluate_repo(tmp_path / "out", describe=names)
    wired = after["nixos"]["ember"]["home_manager"]
    assert wired["extra_special_args"] == before["extra_special_args"]
    described = {name: value for name, value in before["described_args"].items() if name != "assets"}
    assert {name: value for name, value in wired["described_args"].items() if name != "assets"} == described
    assert described["person"] == {"fullName": "Noor Haddad", "avatar": "path:assets/noor.png"}
    assert described["profile"]["host"] == "ember"
    # "${self}/assets" names the flake's own folder: the same folder, wherever each copy was written
    assert before["described_args"]["assets"] == str(helper_repo.resolve()) + "/assets"
    assert wired["described_args"]["assets"] == str((tmp_path / "out").resolve()) + "/assets"
    renamed = {m.old: m.new for m in planned(helper_repo)[2].moves}
    assert wired["users"]["noor"]["modules"] == sorted(renamed.get(p, p) for p in before["modules"])
    assert sorted(after["home"]) == ["theo@studio"]


def test_a_value_written_in_another_file_is_carried_when_plain_and_refused_when_not(tmp_path):
    flake = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  outputs =
    { nixpkgs, home-manager, ... }:
    let
      mkHome = import ./lib/mk-home.nix { inherit nixpkgs home-manager; };
    in
    {
      nixosConfigurations.ember = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/ember/configuration.nix ];
      };
      homeConfigurations."noor@ember" = mkHome "noor";
    };
}
"""
    helper = """{ nixpkgs, home-manager }:
user:
home-manager.lib.homeManagerConfiguration {
  pkgs = nixpkgs.legacyPackages.x86_64-linux;
  extraSpecialArgs.person = { name = user; avatar = ../assets/${user}.png; };
  # unknown to the analysis, but it reads nothing of this file: the same where the host is wired
  extraSpecialArgs.remote = builtins.getEnv "SSH_CONNECTION" != "";
  modules = [ ../home/common.nix %s ];
}
"""
    files = {"flake.nix": flake, "hosts/ember/configuration.nix": HOST, "home/common.nix": HOME,
             "assets/noor.png": ""}
    plain = write(tmp_path / "plain", dict(files, **{"lib/mk-home.nix": helper % ""}))
    _analysis, _findings, plan = planned(plain)
    assert 'person = { avatar = ./assets/noor.png; name = "noor"; };' in plan.tree["flake.nix"].decode()
    assert 'remote = builtins.getEnv "SSH_CONNECTION" != "";' in plan.tree["flake.nix"].decode()

    function = write(tmp_path / "function", dict(files, **{"lib/mk-home.nix": helper % "({ ... }: { home.username = user; })"}))
    with pytest.raises(MigrateError, match=r"lib/mk-home\.nix:8.*outside flake\.nix's scope, and is not a plain value"):
        planned(function)
    result = migrate_to(function, tmp_path / "out")
    assert result.returncode == 1 and "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# -- the package set of a standalone `pkgs` ------------------------------------------------------

PKGS_FLAKE = """{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
  };

  outputs =
    { self, nixpkgs, nixpkgs-unstable, home-manager, ... }@inputs:
    let
      system = "x86_64-linux";
      host = module: nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [ module ];
      };
      mkHome =
        module:
        let
          # unfree apps, a licence, and two overlays the hosts do not have
          pkgs = import nixpkgs {
            inherit system;
            config.allowUnfree = true;
            config.joypixels.acceptLicense = true;
            overlays = [ self.overlays.default (import ./overlays/extra.nix) ];
          };
        in
        home-manager.lib.homeManagerConfiguration {
          inherit pkgs;
          modules = [ module ];
        };
    in
    {
      overlays.default = final: prev: { hello-patched = prev.hello; };
      nixosConfigurations = {
        ember = host ./hosts/ember.nix;
        slate = host ./hosts/slate.nix;
        quill = host ./hosts/quill.nix;
        dune = host ./hosts/dune.nix;
      };
      homeConfigurations = {
        "noor@ember" = mkHome ./home/noor.nix;
        # the same package set the host already has: Home Manager can use the host's
        "ines@slate" = home-manager.lib.homeManagerConfiguration {
          pkgs = import nixpkgs { inherit system; config.allowUnfree = true; };
          modules = [ ./home/ines.nix ];
        };
        # packages from another nixpkgs, with a setting
        "otto@quill" = home-manager.lib.homeManagerConfiguration {
          pkgs = import nixpkgs-unstable { inherit system; config.allowUnfree = true; };
          modules = [ ./home/otto.nix ];
        };
        # the other nixpkgs as it comes
        "ilse@dune" = home-manager.lib.homeManagerConfiguration {
          pkgs = inputs.nixpkgs-unstable.legacyPackages.${system};
          modules = [ ./home/ilse.nix ];
        };
      };
    };
}
"""


def host_file(user: str, extra: str = "") -> str:
    return f"{{ ... }}:\n{{\n  users.users.{user}.isNormalUser = true;\n{extra}  system.stateVersion = \"24.11\";\n}}\n"


@pytest.fixture
def pkgs_repo(tmp_path):
    return write(tmp_path / "repo", {
        "flake.nix": PKGS_FLAKE,
        "hosts/ember.nix": host_file("noor"),
        "hosts/slate.nix": host_file("ines", "  nixpkgs.config.allowUnfree = true;\n"),
        "hosts/quill.nix": host_file("otto"),
        "hosts/dune.nix": host_file("ilse"),
        "home/noor.nix": HOME, "home/ines.nix": HOME, "home/otto.nix": HOME, "home/ilse.nix": HOME,
        "overlays/extra.nix": "final: prev: { extra-tool = prev.hello; }\n",
    })


def test_pkgs_settings_the_host_lacks_go_to_a_module_of_the_user(pkgs_repo):
    analysis, findings, plan = planned(pkgs_repo)
    wirings = {w.host: w for w in plan.wirings}
    assert {host: w.use_global_pkgs for host, w in wirings.items()} == {
        "ember": False, "slate": True, "quill": False, "dune": False}
    assert wirings["dune"].package_modules["ilse"].lines == ["_module.args.pkgsPath = nixpkgs-unstable;"]
    noor = wirings["ember"].package_modules["noor"]
    assert noor.lines == [
        "nixpkgs.config = lib.mkDefault { allowUnfree = true; joypixels.acceptLicense = true; };",
        "nixpkgs.overlays = [ self.overlays.default (import ./overlays/extra.nix) ];",
    ]
    otto = wirings["quill"].package_modules["otto"]
    assert otto.lines == ["nixpkgs.config = lib.mkDefault { allowUnfree = true; };",
                          "_module.args.pkgsPath = nixpkgs-unstable;"]
    assert not wirings["slate"].package_modules
    # the hosts' own files are not edited (only moved): their packages stay what they were
    for host in ("ember", "slate", "quill", "dune"):
        assert plan.tree[f"hosts/{host}/default.nix"] == (pkgs_repo / f"hosts/{host}.nix").read_bytes()
    assert verify(analysis, plan) == []
    flake = plan.tree["flake.nix"].decode()
    assert ("          users.noor.imports = [\n"
            "            # hm-migrate: config and overlays of noor@ember's standalone `pkgs`\n"
            "            ({ lib, ... }: {\n"
            "              nixpkgs.config = lib.mkDefault { allowUnfree = true; joypixels.acceptLicense = true; };\n"
            "              nixpkgs.overlays = [ self.overlays.default (import ./overlays/extra.nix) ];\n"
            "            })\n"
            "            ./modules/home/noor.nix\n"
            "          ];\n") in flake


def test_hm001_says_what_was_done_with_each_pkgs(pkgs_repo):
    from migrate.rules import with_plan

    analysis, findings, plan = planned(pkgs_repo)
    said = {(f.root, f.data["source"]): f.data["action"] for f in with_plan(findings, plan)
            if f.rule_id == "HM001" and f.data["source"] in ("pkgs argument", "pkgs input")}
    assert said[("ines@slate", "pkgs argument")] == "drop: every host already sets the same (useGlobalPkgs = true)"
    assert said[("noor@ember", "pkgs argument")].startswith(
        "carried: useGlobalPkgs = false, and a Home Manager module of the user sets nixpkgs.config (as a default, "
        "as standalone did), nixpkgs.overlays to what `pkgs` had")
    assert said[("otto@quill", "pkgs input")].startswith("carried: useGlobalPkgs = false")
    assert "_module.args.pkgsPath" in said[("otto@quill", "pkgs input")]


@requires_nix
def test_the_users_build_the_package_set_their_pkgs_had(pkgs_repo, tmp_path):
    result = migrate_to(pkgs_repo, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    before = evaluate_repo(pkgs_repo)["home"]
    after = evaluate_repo(tmp_path / "out")["nixos"]
    noor = after["ember"]["home_manager"]
    assert noor["use_global_pkgs"] is False
    assert noor["users_nixpkgs"]["noor"] == {
        "config": before["noor@ember"]["pkgs"]["config"],
        "overlays": before["noor@ember"]["pkgs"]["overlays"],
        "pkgs_path": None,  # the host's nixpkgs, as before
    }
    assert noor["users_nixpkgs"]["noor"]["config"] == {"allowUnfree": True, "joypixels": {"acceptLicense": True}}
    assert noor["users_nixpkgs"]["noor"]["overlays"] == [["hello-patched"], ["extra-tool"]]
    otto = after["quill"]["home_manager"]["users_nixpkgs"]["otto"]
    assert before["otto@quill"]["pkgs"]["source"] == "nixpkgs-unstable:/" == otto["pkgs_path"]
    assert otto["config"] == before["otto@quill"]["pkgs"]["config"] == {"allowUnfree": True}
    assert after["slate"]["home_manager"]["use_global_pkgs"] is True
    ilse = after["dune"]["home_manager"]["users_nixpkgs"]["ilse"]
    assert ilse == {"config": None, "overlays": [], "pkgs_path": before["ilse@dune"]["pkgs"]["source"]}
    assert before["ilse@dune"]["pkgs"]["source"] == "nixpkgs-unstable:/"


@requires_nix
def test_a_module_of_the_user_still_replaces_the_pkgs_config_as_standalone(tmp_path):
    # Standalone, `pkgs`'s config is a default: the module's own nixpkgs.config replaces it,
    # while the overlays of both apply. The migrated user must build with the same.
    flake = PKGS_FLAKE.replace("modules = [ module ];", "modules = [ module ./home/own-config.nix ];")
    repo = write(tmp_path / "repo", {
        "flake.nix": flake,
        "hosts/ember.nix": host_file("noor"), "hosts/slate.nix": host_file("ines"), "hosts/quill.nix": host_file("otto"),
        "hosts/dune.nix": host_file("ilse"),
        "home/noor.nix": HOME, "home/ines.nix": HOME, "home/otto.nix": HOME, "home/ilse.nix": HOME,
        "home/own-config.nix": "{ ... }:\n{\n  nixpkgs.config.allowBroken = true;\n"
                               "  nixpkgs.overlays = [ (final: prev: { mine = prev.hello; }) ];\n}\n",
        "overlays/extra.nix": "final: prev: { extra-tool = prev.hello; }\n",
    })
    result = migrate_to(repo, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    noor = evaluate_repo(tmp_path / "out")["nixos"]["ember"]["home_manager"]["users_nixpkgs"]["noor"]
    assert noor["config"] == {"allowBroken": True}
    assert sorted(noor["overlays"]) == [["extra-tool"], ["hello-patched"], ["mine"]]


SHARED_PKGS_FLAKE = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  outputs =
    { nixpkgs, home-manager, ... }:
    let
      # one package set for the machine and its home
      pkgs = import nixpkgs {
        system = "x86_64-linux";
        config.allowUnfree = true;
        overlays = [ (final: prev: { hello-patched = prev.hello; }) ];
      };
    in
    {
      nixosConfigurations.ember = nixpkgs.lib.nixosSystem {
        inherit pkgs;
        modules = [ ./host.nix ];
      };
      homeConfigurations."noor@ember" = home-manager.lib.homeManagerConfiguration {
        inherit pkgs;
        modules = [ ./home.nix ];
      };
    };
}
"""


def test_a_host_built_with_the_homes_very_pkgs_shares_it(tmp_path):
    # nixosSystem { pkgs } makes that package set the host's `pkgs` (eval-config.nix forces
    # _module.args.pkgs to it), which is what useGlobalPkgs gives Home Manager: nothing to carry.
    repo = write(tmp_path / "repo", {"flake.nix": SHARED_PKGS_FLAKE, "host.nix": host_file("noor"), "home.nix": HOME})
    analysis, findings, plan = planned(repo)
    (wiring,) = plan.wirings
    assert wiring.use_global_pkgs is True and not wiring.package_modules
    (finding,) = [f for f in findings if f.rule_id == "HM001"]
    assert finding.data["action"].startswith("drop: ember builds with this very package set")
    assert "(nixosSystem's pkgs argument)" in finding.data["action"]
    assert verify(analysis, plan) == []


def test_a_host_given_the_homes_pkgs_with_overlays_of_its_own_does_not_share_it(tmp_path):
    # NixOS applies the host's nixpkgs.overlays on top of the given set: not the home's set any more.
    host = host_file("noor", "  nixpkgs.overlays = [ (final: prev: { only-here = prev.hello; }) ];\n")
    repo = write(tmp_path / "repo", {"flake.nix": SHARED_PKGS_FLAKE, "host.nix": host, "home.nix": HOME})
    analysis, _findings, plan = planned(repo)
    (wiring,) = plan.wirings
    assert wiring.use_global_pkgs is False
    assert wiring.package_modules["noor"].lines == [
        "nixpkgs.config = lib.mkDefault { allowUnfree = true; };",
        "nixpkgs.overlays = [ (final: prev: { hello-patched = prev.hello; }) ];"]
    assert verify(analysis, plan) == []
    if NIX_INSTANTIATE is None:
        return
    result = migrate_to(repo, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    before = evaluate_repo(repo)
    after = evaluate_repo(tmp_path / "out")["nixos"]["ember"]
    assert before["nixos"]["ember"]["nixpkgs"]["overlays"] == [["hello-patched"], ["only-here"]]
    old = before["home"]["noor@ember"]["nixpkgs"]
    assert after["home_manager"]["users_nixpkgs"]["noor"] == {
        "config": old["config"], "overlays": old["overlays"], "pkgs_path": None}
    assert after["home_manager"]["default_pkgs_path"] == old["pkgs_path"]


@requires_nix
def test_a_host_built_with_the_homes_very_pkgs_gives_its_users_that_package_set(tmp_path):
    repo = write(tmp_path / "repo", {"flake.nix": SHARED_PKGS_FLAKE, "host.nix": host_file("noor"), "home.nix": HOME})
    result = migrate_to(repo, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    before = evaluate_repo(repo)
    after = evaluate_repo(tmp_path / "out")["nixos"]["ember"]
    assert after["home_manager"]["use_global_pkgs"] is True
    # the host's package set, which its users now get, is the one the home had
    home = before["home"]["noor@ember"]["nixpkgs"]
    assert after["nixpkgs"] == before["nixos"]["ember"]["nixpkgs"] == {
        "config": home["config"], "overlays": home["overlays"], "source": home["pkgs_path"]}
    assert home["config"] == {"allowUnfree": True} and home["overlays"] == [["hello-patched"]]


UNSTABLE_SHARED_FLAKE = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  outputs =
    { nixpkgs, home-manager, ... }@inputs:
    let
      pkgs = inputs.nixpkgs-unstable.legacyPackages.x86_64-linux;
    in
    {
      nixosConfigurations.ember = nixpkgs.lib.nixosSystem {
        inherit pkgs;
        modules = [ ./host.nix ];
      };
      homeConfigurations."noor@ember" = home-manager.lib.homeManagerConfiguration {
        inherit pkgs;
        modules = [ ./home.nix ];
      };
    };
}
"""


@pytest.mark.parametrize("own_config", [False, True], ids=["as-is", "module-sets-nixpkgs-config"])
def test_a_host_given_the_homes_pkgs_from_another_input_needs_no_pkgs_path(tmp_path, own_config):
    # Built by nixpkgs' nixosSystem but given nixpkgs-unstable's package set: the host's
    # `pkgs.path`, Home Manager's default pkgsPath, is already nixpkgs-unstable.
    home = HOME.replace("{\n", "{\n  nixpkgs.config.allowBroken = true;\n", 1) if own_config else HOME
    repo = write(tmp_path / "repo", {"flake.nix": UNSTABLE_SHARED_FLAKE, "host.nix": host_file("noor"), "home.nix": home})
    analysis, findings, plan = planned(repo)
    (wiring,) = plan.wirings
    assert wiring.use_global_pkgs is (not own_config)  # a module's nixpkgs.* needs Home Manager's own set
    assert not wiring.package_modules
    assert not [f for f in findings if f.rule_id == "HM001" and f.data["source"] == "pkgs input"]
    assert verify(analysis, plan) == []


@requires_nix
def test_home_manager_builds_from_the_nixpkgs_the_host_was_given(tmp_path):
    home = HOME.replace("{\n", "{\n  nixpkgs.config.allowBroken = true;\n", 1)
    repo = write(tmp_path / "repo", {"flake.nix": UNSTABLE_SHARED_FLAKE, "host.nix": host_file("noor"), "home.nix": home})
    result = migrate_to(repo, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    before = evaluate_repo(repo)["home"]["noor@ember"]["nixpkgs"]
    hm = evaluate_repo(tmp_path / "out")["nixos"]["ember"]["home_manager"]
    assert hm["use_global_pkgs"] is False
    assert hm["users_nixpkgs"]["noor"]["pkgs_path"] is None
    assert hm["default_pkgs_path"] == before["pkgs_path"] == "nixpkgs-unstable:/"
    assert hm["users_nixpkgs"]["noor"]["config"] == before["config"] == {"allowBroken": True}


@pytest.mark.parametrize("own, replaces", [
    ("nixpkgs.config.allowBroken = true;", True),
    ("nixpkgs.config = { allowBroken = true; };", True),
    # a default too: both defaults merge, nothing is replaced
    ("nixpkgs.config = lib.mkDefault { allowBroken = true; };", False),
])
def test_hm001_says_a_modules_nixpkgs_config_takes_the_place_of_the_pkgs_one(tmp_path, own, replaces):
    flake = PKGS_FLAKE.replace("modules = [ module ];", "modules = [ module ./home/own-config.nix ];")
    repo = write(tmp_path / "repo", {
        "flake.nix": flake,
        "hosts/ember.nix": host_file("noor"), "hosts/slate.nix": host_file("ines"), "hosts/quill.nix": host_file("otto"),
        "hosts/dune.nix": host_file("ilse"),
        "home/noor.nix": HOME, "home/ines.nix": HOME, "home/otto.nix": HOME, "home/ilse.nix": HOME,
        "home/own-config.nix": f"{{ lib, ... }}:\n{{\n  {own}\n}}\n",
        "overlays/extra.nix": "final: prev: { }\n",
    })
    _analysis, findings, _plan = planned(repo)
    (finding,) = [f for f in findings if f.rule_id == "HM001" and f.file == "home/own-config.nix"]
    said = "it takes the place of the `config` of the `pkgs` of noor@ember (a default)"
    assert (said in finding.message) is replaces


def test_verification_compares_the_package_settings(pkgs_repo, monkeypatch):
    import migrate.plan.home_pkgs as home_pkgs

    carry = home_pkgs.package_module

    def without_overlays(pkgs, carrier, pkgs_path):
        module = carry(pkgs, carrier, pkgs_path)
        if module is not None:
            module.lines = [line for line in module.lines if not line.startswith("nixpkgs.overlays")]
        return module

    monkeypatch.setattr("migrate.plan.wiring.package_module", without_overlays)
    analysis, _findings, plan = planned(pkgs_repo)
    differences = verify(analysis, plan)
    assert [d for d in differences if "packages" in d] == [
        "noor@ember (as home-manager.users.noor on ember): packages: lost ('nixpkgs.overlays', ('list', "
        "(('function', 'flake.nix', 'final: prev: { hello-patched = prev.hello; }'), "
        "('function', 'overlays/extra.nix', 'final: prev: { extra-tool = prev.hello; }'))))"]


def test_settings_reading_the_flakes_lib_are_computed_outside_the_module(tmp_path):
    flake = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  outputs =
    { self, nixpkgs, home-manager, ... }:
    let
      lib = nixpkgs.lib;
    in
    {
      overlays.default = final: prev: { hello-patched = prev.hello; };
      nixosConfigurations.ember = lib.nixosSystem { system = "x86_64-linux"; modules = [ ./host.nix ]; };
      homeConfigurations."noor@ember" = home-manager.lib.homeManagerConfiguration {
        pkgs = import nixpkgs {
          system = "x86_64-linux";
          config.allowUnfree = true;
          overlays = lib.attrValues self.overlays;
        };
        modules = [ ./home.nix ];
      };
    };
}
"""
    repo = write(tmp_path / "repo", {"flake.nix": flake, "host.nix": host_file("noor"), "home.nix": HOME})
    analysis, _findings, plan = planned(repo)
    text = plan.tree["flake.nix"].decode()
    assert ("(let standalone = { config = { allowUnfree = true; }; overlays = lib.attrValues self.overlays; }; "
            "in { lib, ... }: {") in text
    assert "nixpkgs.config = lib.mkDefault standalone.config;" in text
    assert verify(analysis, plan) == []


def test_a_pkgs_from_no_flake_input_stops_the_run_with_its_place(tmp_path):
    flake = PKGS_FLAKE.replace("import nixpkgs-unstable { inherit system; config.allowUnfree = true; }",
                               "import <nixpkgs> { inherit system; }")
    repo = write(tmp_path / "repo", {
        "flake.nix": flake,
        "hosts/ember.nix": host_file("noor"), "hosts/slate.nix": host_file("ines"), "hosts/quill.nix": host_file("otto"),
        "hosts/dune.nix": host_file("ilse"),
        "home/noor.nix": HOME, "home/ines.nix": HOME, "home/otto.nix": HOME, "home/ilse.nix": HOME,
        "overlays/extra.nix": "final: prev: { }\n",
    })
    with pytest.raises(MigrateError, match=r"^flake\.nix:\d+:\d+: HM001 homeConfigurations\.otto@quill takes its "
                                           r"packages from <nixpkgs>, not from input nixpkgs that builds host quill"):
        planned(repo)


def test_the_flake_itself_among_values_from_another_file_is_named_through_the_inputs(tmp_path):
    # `inputs // { ... }` in a helper file: `self` is one of them, though `outputs` does not name it.
    flake = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  inputs.agenix.url = "github:ryantm/agenix";
  outputs =
    { nixpkgs, home-manager, ... }@inputs:
    let
      lib = import ./lib.nix inputs;
    in
    {
      nixosConfigurations.ember = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./host.nix ];
      };
      homeConfigurations."noor@ember" = lib.mkHome "ember";
    };
}
"""
    helper = """{ nixpkgs, home-manager, ... }@inputs:
{
  mkHome = hostname: home-manager.lib.homeManagerConfiguration {
    pkgs = nixpkgs.legacyPackages.x86_64-linux;
    extraSpecialArgs = inputs // { inherit hostname; };
    modules = [ ./home.nix ];
  };
}
"""
    repo = write(tmp_path / "repo", {"flake.nix": flake, "lib.nix": helper, "host.nix": host_file("noor"),
                                     "home.nix": HOME})
    analysis, _findings, plan = planned(repo)
    flake_after = plan.tree["flake.nix"].decode()
    assert "          self = inputs.self;\n" in flake_after
    assert "          agenix = inputs.agenix;\n" in flake_after
    assert verify(analysis, plan) == []


SPLIT_FLAKE = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  outputs = inputs: {
    overlays.default = final: prev: { hello-patched = prev.hello; };
    homeModules.noor = import ./homes/noor.nix;
    nixosConfigurations = import ./hosts inputs;
    homeConfigurations = import ./homes inputs;
  };
}
"""
SPLIT_HOSTS = """inputs: {
  ember = inputs.nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ ./ember.nix ];
  };
}
"""
SPLIT_HOMES = """inputs:
let
  mkHome = user: inputs.home-manager.lib.homeManagerConfiguration {
    pkgs = import inputs.nixpkgs {
      system = "x86_64-linux";
      config.allowUnfree = true;
      overlays = [ inputs.self.overlays.default ];
    };
    modules = [ inputs.self.homeModules.${user} ];
  };
in
{
  "noor@ember" = mkHome "noor";
}
"""


COMPOSED = "inputs.nixpkgs.lib.composeManyExtensions [ (final: prev: { hello-patched = prev.hello; }) ]"


@pytest.fixture(params=["lambda", "composed"])
def split_repo(tmp_path, request):
    # the overlay as a function, or composed by lib (a value the analysis models, not a lambda)
    flake = SPLIT_FLAKE if request.param == "lambda" else SPLIT_FLAKE.replace(
        "final: prev: { hello-patched = prev.hello; }", COMPOSED)
    return write(tmp_path / "repo", {"flake.nix": flake, "hosts/default.nix": SPLIT_HOSTS,
                                     "hosts/ember.nix": host_file("noor"), "homes/default.nix": SPLIT_HOMES,
                                     "homes/noor.nix": HOME})


def test_values_of_another_file_that_are_the_flakes_own_outputs_are_named_through_self(split_repo):
    # `inputs.self.homeModules.${user}` and `inputs.self.overlays.default`, read in homes/default.nix:
    # neither `user` nor that file's `inputs` is in scope where the host is wired, but the values
    # are outputs of the flake, which the outputs can name.
    analysis, _findings, plan = planned(split_repo)
    flake = plan.tree["flake.nix"].decode()
    assert ("            users.noor.imports = [\n"
            "              # hm-migrate: config and overlays of noor@ember's standalone `pkgs`\n"
            "              ({ lib, ... }: {\n"
            "                nixpkgs.config = lib.mkDefault { allowUnfree = true; };\n"
            "                nixpkgs.overlays = [ inputs.self.overlays.default ];\n"
            "              })\n"
            "              inputs.self.homeModules.noor\n"
            "            ];\n") in flake
    assert verify(analysis, plan) == []


@requires_nix
def test_values_named_through_self_evaluate_to_what_the_home_had(split_repo, tmp_path):
    result = migrate_to(split_repo, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    before = evaluate_repo(split_repo)["home"]["noor@ember"]
    hm = evaluate_repo(tmp_path / "out")["nixos"]["ember"]["home_manager"]
    assert hm["users"]["noor"]["modules"] == ["modules/home/noor.nix"] and before["modules"] == ["homes/noor.nix"]
    assert hm["users_nixpkgs"]["noor"] == {"config": before["nixpkgs"]["config"],
                                           "overlays": before["nixpkgs"]["overlays"], "pkgs_path": None}
    assert before["nixpkgs"]["overlays"] == [["hello-patched"]]


def test_a_name_that_cannot_be_written_where_the_host_is_wired_stops_the_run_with_its_place(tmp_path):
    # `themeFor` comes from a `with` over another file's set, and its result holds a function:
    # neither the name nor the value can be written beside nixosConfigurations.
    flake = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  outputs =
    { nixpkgs, home-manager, ... }:
    let
      mkHome =
        user:
        with (import ./themes.nix);
        home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.x86_64-linux;
          extraSpecialArgs.theme = themeFor user;
          modules = [ ./home.nix ];
        };
    in
    {
      nixosConfigurations.ember = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./host.nix ];
      };
      homeConfigurations."noor@ember" = mkHome "noor";
    };
}
"""
    themes = "{ themeFor = user: { name = user; tint = colour: colour; }; }\n"
    repo = write(tmp_path / "repo", {"flake.nix": flake, "themes.nix": themes, "host.nix": host_file("noor"),
                                     "home.nix": HOME})
    with pytest.raises(MigrateError, match=r"^extraSpecialArgs\.theme of homeConfigurations\.noor@ember "
                                           r"\(flake\.nix:12:36\) reads `themeFor`, which is not in scope where "
                                           r"flake\.nix now wires the host"):
        planned(repo)
    result = migrate_to(repo, tmp_path / "out")
    assert result.returncode == 1 and "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_input_module_named_through_inputs_is_the_same_module_as_the_bare_argument(tmp_path):
    # `agenix` is an argument of `outputs`: the wiring names it `agenix.homeManagerModules.default`,
    # the home wrote `inputs.agenix.homeManagerModules.default`; both are the same module.
    repo = write(tmp_path, {
        "flake.nix": """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  inputs.agenix.url = "github:ryantm/agenix";
  outputs = { nixpkgs, home-manager, agenix, ... }@inputs: {
    nixosConfigurations.dune = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./host.nix agenix.nixosModules.default ];
    };
    homeConfigurations.dune = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./home.nix inputs.agenix.homeManagerModules.default ];
    };
  };
}
""", "host.nix": HOST, "home.nix": HOME.replace("{\n", '{\n  home.username = "noor";\n', 1)})
    analysis, _findings, plan = planned(repo)
    assert [w.host for w in plan.wirings] == ["dune"]
    assert verify(analysis, plan) == []
    assert "agenix.homeManagerModules.default" in plan.tree["flake.nix"].decode()


def test_a_module_the_flake_outputs_is_named_by_its_place_there(tmp_path):
    # The helper in homes.nix lists `inputs.self.homeModules.${user}`: `user` means nothing
    # where the host is wired, but the module is one the flake outputs.
    repo = write(tmp_path, {
        "flake.nix": """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.11";
  outputs = { self, nixpkgs, home-manager, ... }@inputs: {
    homeModules.noor = import ./home.nix;
    nixosConfigurations.dune = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./host.nix ];
    };
    homeConfigurations = import ./homes.nix inputs;
  };
}
""", "homes.nix": """inputs:
let
  mkHome = user: inputs.home-manager.lib.homeManagerConfiguration {
    pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
    modules = [ inputs.self.homeModules.${user} ];
  };
in { "noor@dune" = mkHome "noor"; }
""", "host.nix": HOST, "home.nix": HOME})
    analysis, _findings, plan = planned(repo)
    assert verify(analysis, plan) == []
    assert "users.noor.imports = [ self.homeModules.noor ];" in plan.tree["flake.nix"].decode()
