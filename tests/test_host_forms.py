"""The form each host's Home Manager wiring takes (migrate/plan/forms.py): Home Manager in
a literal host's own modules list, a mkHost the flake's literal hosts share, the
repository's own helper extended, and the wrapper where none of that fits; the removed
standalone entries and the comments they held; verification of the settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flake_eval import evaluate_repo
from migrate.analyze.analysis import analyze
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_mapping
from migrate.verify import verify
from nixcheck import requires_nix

ROOT = Path(__file__).resolve().parent.parent

INPUTS = """  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
    hardware.url = "github:NixOS/nixos-hardware";
  };
"""
HOME = '{ ... }: { home.stateVersion = "24.11"; programs.git.enable = true; }\n'


def host_module(name: str) -> str:
    return (f'{{ ... }}: {{ networking.hostName = "{name}"; users.users.ana.isNormalUser = true; '
            'system.stateVersion = "24.11"; }\n')


def planned(files: dict):
    """The plan with every file in place (the layout is not what these tests are about)."""
    snapshot = from_mapping({path: text.encode() for path, text in files.items()}, "<test>")
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis), layout="keep")
    assert verify(analysis, plan) == []
    return analysis, plan


def forms(plan) -> dict[str, str]:
    return {wiring.host: wiring.form for wiring in plan.wirings}


# -- form 1: the flake's literal hosts ------------------------------------------------------


SINGLE = {
    "flake.nix": "{\n" + INPUTS + """  outputs = { self, nixpkgs, home-manager, ... }@inputs: {
    nixosConfigurations.kite = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./kite.nix ];
    };

    # home-manager switch --flake .#ana
    homeConfigurations.ana = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux; # the same nixpkgs as the host
      modules = [ ./home.nix ];
    };
  };
}
""",
    "kite.nix": host_module("kite"),
    "home.nix": HOME,
}


def test_a_single_literal_host_gets_home_manager_in_its_modules_list():
    _analysis, plan = planned(SINGLE)
    flake = plan.tree["flake.nix"].decode()
    assert forms(plan) == {"kite": "its modules list"}
    assert """    nixosConfigurations.kite = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ./kite.nix
        home-manager.nixosModules.home-manager
        {
          home-manager = {
            useGlobalPkgs = true;
            useUserPackages = true;
            backupFileExtension = "hm-backup";
            users.ana.imports = [ ./home.nix ];
          };
        }
      ];
    };
  };
}
""" in flake
    assert "extendModules" not in flake and "withHomeManager" not in flake
    # the entry goes, its heading comment and its own comment with it: both are quoted
    assert "homeConfigurations" not in flake and "#" not in flake
    assert plan.removed_comments == [("homeConfigurations.ana", "flake.nix:15",
                                      ["# home-manager switch --flake .#ana", "# the same nixpkgs as the host"])]


def test_the_removed_entries_comments_are_quoted_in_migration_md():
    from migrate.report import markdown

    analysis, plan = planned(SINGLE)
    notes = markdown(analysis, plan, [], "")
    assert ("## Removed from the flake\n\n"
            "These standalone entries now run as part of their hosts; the comments they held are quoted below.\n\n"
            "- `homeConfigurations.ana` (`flake.nix:15`):\n\n"
            "      # home-manager switch --flake .#ana\n"
            "      # the same nixpkgs as the host\n") in notes
    assert "- **kite**: `ana` (was `homeConfigurations.ana`); `useGlobalPkgs = true`; wired in its modules list" in notes


def literal_hosts(nimbus: str, cirrus: str, rime: str) -> dict:
    return {
        "flake.nix": "{\n" + INPUTS + f"""  outputs = {{ self, nixpkgs, home-manager, ... }}@inputs:
    let
      system = "x86_64-linux";
    in
    {{
      nixosConfigurations = {{
        nimbus = nixpkgs.lib.nixosSystem {{
          inherit system;
          specialArgs = {{ inherit inputs; }};
          modules = [ {nimbus} ];
        }};
        cirrus = nixpkgs.lib.nixosSystem {{
          inherit system;
          specialArgs = {{ inherit inputs; }};
          modules = [ {cirrus} ];
        }};
        rime = nixpkgs.lib.nixosSystem {{
          inherit system;
          specialArgs = {{ inherit inputs; extra = true; }};
          modules = [ {rime} ];
        }};
      }};
      homeConfigurations = {{
        "ana@nimbus" = home-manager.lib.homeManagerConfiguration {{
          pkgs = nixpkgs.legacyPackages.${{system}};
          modules = [ ./home.nix ];
        }};
        "ana@cirrus" = home-manager.lib.homeManagerConfiguration {{
          pkgs = nixpkgs.legacyPackages.${{system}};
          modules = [ ./home.nix ./cirrus-home.nix ];
        }};
        "ana@rime" = home-manager.lib.homeManagerConfiguration {{
          pkgs = nixpkgs.legacyPackages.${{system}};
          modules = [ ./home.nix ];
        }};
      }};
    }};
}}
""",
        "machines/nimbus/default.nix": host_module("nimbus"),
        "machines/cirrus/default.nix": host_module("cirrus"),
        "machines/rime/default.nix": host_module("rime"),
        "common.nix": "{ ... }: { time.timeZone = \"UTC\"; }\n",
        "home.nix": HOME,
        "cirrus-home.nix": HOME,
    }


def test_literal_hosts_that_agree_share_a_mk_host_and_keep_their_own_modules():
    files = literal_hosts(nimbus="./machines/nimbus ./common.nix",
                          cirrus="./machines/cirrus ./common.nix inputs.hardware.nixosModules.common-pc",
                          rime="./machines/rime ./common.nix")
    _analysis, plan = planned(files)
    flake = plan.tree["flake.nix"].decode()
    # rime passes other specialArgs: it stays literal, with Home Manager in its own list
    assert forms(plan) == {"cirrus": "the flake's mkHost", "nimbus": "the flake's mkHost", "rime": "its modules list"}
    assert """      mkHost =
        name:
        { users, modules ? [ ] }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs; };
          modules = [
            ./machines/${name}
            ./common.nix
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = true;
                useUserPackages = true;
                backupFileExtension = "hm-backup";
                inherit users;
              };
            }
          ] ++ modules;
        };""" in flake
    assert """        nimbus = mkHost "nimbus" {
          users.ana.imports = [ ./home.nix ];
        };
        cirrus = mkHost "cirrus" {
          modules = [
            inputs.hardware.nixosModules.common-pc
          ];
          users.ana.imports = [ ./home.nix ./cirrus-home.nix ];
        };
        rime = nixpkgs.lib.nixosSystem {""" in flake
    assert "homeConfigurations" not in flake and "extendModules" not in flake


def test_a_comment_in_what_the_hosts_share_keeps_that_host_literal():
    # factoring cirrus would drop its comment (the helper is written from nimbus)
    files = literal_hosts(nimbus="./machines/nimbus ./common.nix",
                          cirrus="./machines/cirrus /* the thinkpad */ ./common.nix",
                          rime="./machines/rime ./common.nix")
    files["flake.nix"] = files["flake.nix"].replace("specialArgs = { inherit inputs; extra = true; };",
                                                    "specialArgs = { inherit inputs; };")
    _analysis, plan = planned(files)
    assert forms(plan) == {"cirrus": "its modules list", "nimbus": "the flake's mkHost", "rime": "the flake's mkHost"}
    assert "/* the thinkpad */" in plan.tree["flake.nix"].decode()


def test_hosts_that_agree_on_nothing_stay_literal():
    files = literal_hosts(nimbus="./machines/nimbus", cirrus="./machines/cirrus ./common.nix", rime="./common.nix")
    files["flake.nix"] = files["flake.nix"].replace("specialArgs = { inherit inputs; };",
                                                    "specialArgs = { inherit inputs; nimbus = true; };", 1)
    _analysis, plan = planned(files)
    assert set(forms(plan).values()) == {"its modules list"}
    assert "mkHost" not in plan.tree["flake.nix"].decode()


# -- form 2: the repository's own helper ----------------------------------------------------


HELPERS = """{ inputs, stateVersion }:
{
  mkHost =
    { hostname, username, desktop ? null }:
    inputs.nixpkgs.lib.nixosSystem {
      specialArgs = { inherit inputs hostname username desktop stateVersion; };
      modules = [ ../machines/${hostname} ];
    };

  mkHome =
    {
      hostname,
      username,
      desktop ? null,
      system ? "x86_64-linux",
      extraModules ? [ ],
    }:
    inputs.home-manager.lib.homeManagerConfiguration {
      pkgs = inputs.nixpkgs.legacyPackages.${system};
      extraSpecialArgs = {
        inherit
          inputs
          hostname
          desktop
          system
          ;
      };
      modules = [ ../home.nix ] ++ extraModules;
    };
}
"""


def helper_repo(homes: str) -> dict:
    return {
        "flake.nix": "{\n" + INPUTS + """  outputs = { self, nixpkgs, ... }@inputs:
    let
      libx = import ./lib { inherit inputs; stateVersion = "24.11"; };
    in
    {
      nixosConfigurations = {
        pine = libx.mkHost { hostname = "pine"; username = "ana"; desktop = "sway"; };
        oak = libx.mkHost { hostname = "oak"; username = "ana"; };
        # the installer image: nobody's home
        iso = libx.mkHost { hostname = "iso"; username = "nixos"; };
      };
      homeConfigurations = {
""" + homes + """      };
    };
}
""",
        "lib/default.nix": HELPERS,
        "machines/pine/default.nix": host_module("pine"),
        "machines/oak/default.nix": host_module("oak"),
        "machines/iso/default.nix": host_module("iso"),
        "home.nix": HOME,
        "work.nix": HOME,
    }


HOMES = """        "ana@pine" = libx.mkHome { hostname = "pine"; username = "ana"; desktop = "sway"; };
        "ana@oak" = libx.mkHome { hostname = "oak"; username = "ana"; };
        "ana@work" = libx.mkHome { hostname = "work"; username = "ana"; extraModules = [ ./work.nix ]; };
"""


def test_the_repositorys_helper_gets_home_manager_for_the_hosts_with_users():
    files = helper_repo(HOMES)
    _analysis, plan = planned(files)
    assert forms(plan) == {"oak": "mkHost of lib/default.nix, the repository's helper",
                           "pine": "mkHost of lib/default.nix, the repository's helper"}
    flake = plan.tree["flake.nix"].decode()
    for line in files["flake.nix"].splitlines():
        if "= libx.mkHost" in line:
            assert line in flake.splitlines()  # the user's lines, as written
    assert '"ana@work" = libx.mkHome' in flake and "ana@pine" not in flake
    helper = plan.tree["lib/default.nix"].decode()
    assert """      modules = [ ../machines/${hostname} ]
        ++ (
          # Home Manager as a NixOS module (migrated by hm-migrate) on the hosts whose users had
          # standalone homeConfigurations
          if builtins.elem hostname [ "oak" "pine" ] then
            [
              inputs.home-manager.nixosModules.home-manager
              {
                home-manager = {
                  useGlobalPkgs = true;
                  useUserPackages = true;
                  backupFileExtension = "hm-backup";
                  extraSpecialArgs = {
                    inherit
                      inputs
                      hostname
                      desktop
                      ;
                    system = "x86_64-linux";
                  };
                  users.${username}.imports = [ ../home.nix ];
                };
              }
            ]
          else
            [ ]
        );""" in helper
    # mkHome itself stays as it was for the home that remains standalone
    assert helper.split("mkHome =")[1] == HELPERS.split("mkHome =")[1]


def test_a_home_that_passes_what_the_host_helper_cannot_keeps_the_wrapper():
    # ana@oak passes extraModules: the helper would have to take it for oak alone
    homes = HOMES.replace('"ana@oak" = libx.mkHome { hostname = "oak"; username = "ana"; };',
                          '"ana@oak" = libx.mkHome { hostname = "oak"; username = "ana"; extraModules = [ ./work.nix ]; };')
    _analysis, plan = planned(helper_repo(homes))
    assert set(forms(plan).values()) == {"wrapper"}
    flake = plan.tree["flake.nix"].decode()
    assert "# hm-migrate: adds Home Manager's NixOS module and the host's users to a host built as before\n" in flake
    assert "pine = withHomeManager (libx.mkHost {" in flake
    assert "lib/default.nix" not in plan.changed


def test_a_user_the_host_helper_does_not_name_keeps_the_wrapper():
    # oak's home is bob's, and mkHost's `username` says ana there
    homes = HOMES.replace('"ana@oak" = libx.mkHome { hostname = "oak"; username = "ana"; };',
                          '"bob@oak" = libx.mkHome { hostname = "oak"; username = "bob"; };')
    files = helper_repo(homes)
    files["machines/oak/default.nix"] = files["machines/oak/default.nix"].replace("users.users.ana", "users.users.bob")
    _analysis, plan = planned(files)
    assert set(forms(plan).values()) == {"wrapper"}


def test_verification_compares_the_home_manager_settings_the_helper_writes():
    snapshot = from_mapping({path: text.encode() for path, text in helper_repo(HOMES).items()}, "<test>")
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis), layout="keep")
    helper = plan.tree["lib/default.nix"]
    plan.tree["lib/default.nix"] = helper.replace(b"useUserPackages = true;", b"useUserPackages = false;")
    plan.edit_parses.clear()
    differences = verify(analysis, plan)
    assert "host oak: home-manager.useUserPackages is False, expected True" in differences
    assert "host pine: home-manager.useUserPackages is False, expected True" in differences


def test_hosts_in_a_let_bound_set_are_wired_where_they_are_written():
    # `nixosConfigurations = let ... in { ... }` is a set written out, not computed: each
    # host is edited in place, after the entries the user commented out.
    files = dict(SINGLE)
    files["flake.nix"] = SINGLE["flake.nix"].replace(
        """    nixosConfigurations.kite = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./kite.nix ];
    };""",
        """    nixosConfigurations =
      let
        extra = { services.openssh.enable = true; };
      in
      {
        kite = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./kite.nix
            extra
            # ./gaming.nix
          ];
        };
      };""")
    _analysis, plan = planned(files)
    assert forms(plan) == {"kite": "its modules list"}
    flake = plan.tree["flake.nix"].decode()
    assert """            extra
            # ./gaming.nix
            home-manager.nixosModules.home-manager
            {
              home-manager = {""" in flake
    assert "builtins.mapAttrs" not in flake and "withHomeManager" not in flake


def test_the_report_says_why_a_host_is_wrapped():
    from migrate.report import markdown

    homes = HOMES.replace('"ana@oak" = libx.mkHome { hostname = "oak"; username = "ana"; };',
                          '"ana@oak" = libx.mkHome { hostname = "oak"; username = "ana"; extraModules = [ ./work.nix ]; };')
    analysis, plan = planned(helper_repo(homes))
    assert {w.wrapped_because for w in plan.wirings} == {
        "mkHome's modules reads `extraModules`, which mkHost does not take (and no default every migrating home keeps)"}
    notes = markdown(analysis, plan, [], "")
    assert ("- **oak**: `ana` (was `homeConfigurations.ana@oak`); `useGlobalPkgs = true`; wrapped as it was built "
            "(mkHome's modules reads `extraModules`, which mkHost does not take") in notes


# -- a host that imports Home Manager's NixOS module already, without users ---------------------


def imported(host_settings: str) -> dict:
    return {
        "flake.nix": "{\n" + INPUTS + """  outputs = { self, nixpkgs, home-manager, ... }@inputs: {
    nixosConfigurations.kite = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ./kite.nix
        home-manager.nixosModules.home-manager
        { HOST_SETTINGS }
      ];
    };
    homeConfigurations."ana@kite" = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./home.nix ];
    };
  };
}
""".replace("HOST_SETTINGS", host_settings),
        "kite.nix": host_module("kite"),
        "home.nix": HOME,
    }


def test_a_host_importing_the_module_without_users_gets_the_settings_alone():
    analysis, plan = planned(imported('home-manager.backupFileExtension = "old";'))
    assert analysis.homes["ana@kite"].hosts == ["kite"]
    flake = plan.tree["flake.nix"].decode()
    assert flake.count("home-manager.nixosModules.home-manager") == 1  # never a second import
    assert """        { home-manager.backupFileExtension = "old"; }
        {
          home-manager = {
            useGlobalPkgs = true;
            useUserPackages = true;
            users.ana.imports = [ ./home.nix ];
          };
        }
      ];""" in flake  # its own backupFileExtension stays the one it set
    assert forms(plan) == {"kite": "its modules list"}


def test_a_host_whose_own_settings_the_user_would_see_is_left_alone():
    from migrate.analyze.analysis import analyze as analyse

    for settings in ("home-manager.sharedModules = [ ./home.nix ];", "home-manager.useGlobalPkgs = false;",
                     "home-manager.extraSpecialArgs.x = 1;"):
        files = imported(settings)
        analysis = analyse(from_mapping({p: t.encode() for p, t in files.items()}, "<test>"))
        home = analysis.homes["ana@kite"]
        assert home.hosts == [], settings
        assert "add ana to home-manager.users there by hand" in home.attach_reason
        assert analysis.layout == "already-migrated"


@requires_nix
def test_the_settings_alone_evaluate_with_real_nix(tmp_path):
    repo, out = tmp_path / "repo", tmp_path / "out"
    for path, text in imported('home-manager.backupFileExtension = "old";').items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    result = subprocess.run([sys.executable, "-m", "migrate", str(repo), "--out", str(out), "--no-color"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    before, after = evaluate_repo(repo), evaluate_repo(out)
    assert before["nixos"]["kite"]["home_manager"]["users"] == {}
    hm = after["nixos"]["kite"]["home_manager"]
    moved = "modules/home/default.nix"  # the only home module: the folder's entry
    assert hm["users"]["ana"]["modules"] == [moved] and before["home"]["ana@kite"]["modules"] == ["home.nix"]
    assert (hm["use_global_pkgs"], hm["use_user_packages"], hm["backup_file_extension"]) == (True, True, "old")
    assert "ana@kite" not in after["home"]
