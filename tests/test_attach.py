"""Which NixOS host a standalone Home Manager configuration belongs to (HM008), read from
what the repository says: the key, the arguments, the folders, users.users, the only host;
and hosts that already run Home Manager as a NixOS module, left as they are."""

from __future__ import annotations

import pytest

from migrate.analyze.analysis import analyze
from migrate.errors import MigrateError
from migrate.plan import make_plan, migrating_homes
from migrate.rules import check_all
from migrate.snapshot import from_mapping

INPUTS = """\
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
    disko.url = "github:nix-community/disko";
"""

HOME = '{ ... }:\n{\n  home.stateVersion = "24.11";\n  programs.git.enable = true;\n}\n'


def host_module(name: str, users: tuple[str, ...] = (), extra: str = "") -> str:
    declared = "".join(f"  users.users.{u} = {{ isNormalUser = true; }};\n" for u in users)
    return f'{{ ... }}:\n{{\n  networking.hostName = "{name}";\n{declared}{extra}}}\n'


def flake(hosts: dict[str, str], homes: dict[str, str], let: str = "") -> str:
    """HOSTS: name -> its modules list (Nix source); HOMES: key (as written) -> its
    homeManagerConfiguration arguments besides pkgs (Nix source)."""
    host_text = "".join(f"      nixosConfigurations.{name} = nixpkgs.lib.nixosSystem {{ modules = {modules}; }};\n"
                        for name, modules in hosts.items())
    home_text = "".join(
        f"      homeConfigurations.{key} = home-manager.lib.homeManagerConfiguration {{\n"
        f"        pkgs = nixpkgs.legacyPackages.x86_64-linux;\n        {args}\n      }};\n"
        for key, args in homes.items())
    return ("{\n  inputs = {\n" + INPUTS + "  };\n"
            "  outputs = { self, nixpkgs, home-manager, ... }@inputs:\n"
            f"    let\n      system = \"x86_64-linux\";\n{let}    in\n    {{\n" + host_text + home_text + "    };\n}\n")


def analysed(files: dict[str, str], attach=None):
    return analyze(from_mapping({p: t.encode() for p, t in files.items()}, "<test>"), attach=attach)


def homes_of(analysis) -> dict[str, tuple]:
    return {h.name: (h.user, h.hosts) for h in analysis.homes.values() if not h.integrated}


# -- half-migrated repositories: per host, not per repository -------------------------------


HALF = {
    "flake.nix": flake(
        {"heron": "[ ./heron.nix home-manager.nixosModules.home-manager "
                  "{ home-manager.users.wren = import ./home.nix; } ]",
         "finch": "[ ./finch.nix ]",
         "gull": "[ ./gull.nix ]"},
        {"finch": 'modules = [ ./home.nix { home.username = "wren"; } ];',
         '"wren@heron"': 'modules = [ ./home.nix ];',
         '"root@heron"': 'modules = [ ./home.nix ];',
         "wren": 'modules = [ ./home.nix ];'}),
    "heron.nix": host_module("heron", ("wren",)),
    "finch.nix": host_module("finch", ("wren",)),
    "gull.nix": host_module("gull", ("wren",)),
    "home.nix": HOME,
}


def test_a_host_running_home_manager_is_left_alone_and_the_others_are_migrated():
    analysis = analysed(HALF)
    assert analysis.layout == "flake-standalone"
    homes = {h.name: h for h in analysis.homes.values()}
    (module_user,) = [h for h in analysis.homes.values() if h.integrated]
    assert (module_user.user, module_user.host) == ("wren", "heron")
    finch = homes["finch"]
    assert (finch.user, finch.hosts, finch.attach_reason) == ("wren", ["finch"], "its key is the name of host finch")
    # a standalone `wren@heron` left over: the user already runs HM there, and the key stays its own
    left_over = homes["wren@heron"]
    assert not left_over.integrated and left_over.hosts == []
    assert left_over.attach_reason.startswith("user wren already runs Home Manager as a NixOS module on heron")
    root = homes["root@heron"]
    assert root.hosts == [] and root.attach_reason.startswith("host heron already runs Home Manager as a NixOS module")
    # a bare `wren`: the hosts without Home Manager that declare wren, not heron
    assert homes["wren"].hosts == ["gull"]  # finch has its own `finch` configuration of wren
    assert analysis.hosts["heron"].users == ["wren"]
    assert analysis.hosts["finch"].users == ["wren"]


def test_the_planned_tree_of_a_half_migrated_repository_leaves_the_running_host_as_it_was():
    files = {**HALF, "flake.nix": HALF["flake.nix"].replace(
        "      homeConfigurations.wren = home-manager", "      homeConfigurations.wren-old = home-manager")}
    snapshot = from_mapping({p: t.encode() for p, t in files.items()}, "<test>")
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis))
    assert sorted(plan.migrating) == ["finch"]
    assert [w.host for w in plan.wirings] == ["finch"]
    flake_text = plan.tree["flake.nix"].decode()
    (heron,) = [line for line in flake_text.splitlines() if "nixosConfigurations.heron =" in line]
    assert heron.count("home-manager.nixosModules.home-manager") == 1  # left as it was: its own import only
    finch = flake_text.split("nixosConfigurations.finch = nixpkgs.lib.nixosSystem", 1)[1].split("\n      };", 1)[0]
    assert "home-manager.nixosModules.home-manager" in finch and "users.wren.imports" in finch


def test_hosts_running_home_manager_without_users_take_only_the_homes_named_for_them():
    # pc and box import Home Manager's module in their own modules list and name no user:
    # the home keyed pc joins pc (its settings alone are added); tiling names no host and
    # stays, as it would beside hosts that run Home Manager
    files = {
        "flake.nix": flake(
            {"pc": "[ ./pc.nix home-manager.nixosModules.home-manager ]",
             "box": "[ ./box.nix inputs.home-manager.nixosModules.default ]"},
            {"pc": "modules = [ ./home.nix ];", "tiling": "modules = [ ./home.nix ];"}),
        "pc.nix": host_module("pc"), "box.nix": host_module("box"), "home.nix": HOME,
    }
    analysis = analysed(files)
    assert analysis.layout == "flake-standalone"
    assert analysis.homes["pc"].hosts == ["pc"] and analysis.homes["tiling"].hosts == []
    assert "no host named, and hosts box, pc already run Home Manager" in analysis.homes["tiling"].attach_reason
    # a host whose users are set where the analysis cannot name them (a module of its own
    # that sets home-manager.users) is left alone: the home stays, the repository is migrated
    files["pc.nix"] = host_module("pc", extra="  home-manager.users = import ./users.nix;\n")
    files["users.nix"] = "{ }\n"
    analysis = analysed(files)
    assert analysis.layout == "already-migrated"
    assert all(not h.hosts and not h.ambiguous for h in analysis.homes.values())


def test_an_input_named_otherwise_does_not_bring_home_manager():
    files = {
        "flake.nix": flake({"pc": "[ ./pc.nix inputs.disko.nixosModules.default ]"},
                           {"pc": "modules = [ ./home.nix ];"}),
        "pc.nix": host_module("pc"), "home.nix": HOME,
    }
    analysis = analysed(files)
    assert not analysis.hosts["pc"].integrated
    assert analysis.homes["pc"].hosts == ["pc"]


def test_attaching_by_hand_to_a_host_running_home_manager_is_refused():
    with pytest.raises(MigrateError, match=r"--attach root=heron: host heron already runs Home Manager"):
        analysed(HALF, attach={"root": ["heron"]})


# -- keys that are not user@host ------------------------------------------------------------


def test_host_dash_user_keys_name_the_host_and_the_user():
    files = {
        "flake.nix": flake(
            {"lumen": "[ ./lumen.nix ]", "iso-box": "[ ./iso.nix ]"},
            {'"lumen-ines"': 'modules = [ ./home.nix ];',
             '"otto_iso-box"': 'modules = [ ./home.nix ];',
             # the modules say the user is kai: `lumen-work` is a profile, not user `work`
             '"lumen-work"': 'modules = [ ./home.nix { home.username = "kai"; } ];'}),
        "lumen.nix": host_module("lumen"), "iso.nix": host_module("iso-box"), "home.nix": HOME,
    }
    analysis = analysed(files)
    homes = {h.name: h for h in analysis.homes.values()}
    assert (homes["lumen-ines"].user, homes["lumen-ines"].hosts) == ("ines", ["lumen"])
    assert homes["lumen-ines"].attach_reason == "its key names host lumen and user ines"
    assert (homes["otto_iso-box"].user, homes["otto_iso-box"].hosts) == ("otto", ["iso-box"])
    work = homes["lumen-work"]
    assert work.user == "kai" and work.ambiguous and work.attach_candidates == ["iso-box", "lumen"]


def test_the_user_is_what_the_modules_set_with_the_configurations_arguments():
    files = {
        "flake.nix": flake({"osprey": "[ ./osprey.nix ]"},
                           {"osprey": "extraSpecialArgs = { inherit user; }; modules = [ ./home.nix ];"},
                           let='      user = "ada";\n'),
        "osprey.nix": host_module("osprey"),
        "home.nix": '{ user, ... }:\n{\n  home.username = user;\n  home.homeDirectory = "/home/${user}";\n}\n',
    }
    analysis = analysed(files)
    assert homes_of(analysis) == {"osprey": ("ada", ["osprey"])}
    assert analysis.hosts["osprey"].users == ["ada"]


def test_a_folder_named_after_a_host_names_it():
    files = {
        "flake.nix": flake(
            {"argon": "[ ./systems/argon.nix ]", "neon": "[ ./systems/neon.nix ]"},
            {"jo": "modules = [ ./homes/shared.nix ./homes/argon/jo/default.nix ];",
             "jo-laptop": "modules = [ ./homes/shared.nix ./homes/neon/jo.nix ];"}),
        "systems/argon.nix": host_module("argon"), "systems/neon.nix": host_module("neon"),
        "homes/shared.nix": HOME, "homes/argon/jo/default.nix": HOME, "homes/neon/jo.nix": HOME,
    }
    analysis = analysed(files)
    assert homes_of(analysis) == {"jo": ("jo", ["argon"]), "jo-laptop": ("jo-laptop", ["neon"])}
    assert analysis.homes["jo"].attach_reason == "its file homes/argon/jo/default.nix is in a folder named after host argon"


def test_a_user_at_host_key_decides_whatever_the_hostname_argument_says():
    # `lin@vegawin`, the WSL twin of host vega, told `hostname = "vega"`
    files = {
        "flake.nix": flake({"vega": "[ ./vega.nix ]", "b": "[ ./b.nix ]"},
                           {'"lin@vegawin"': 'extraSpecialArgs = { hostname = "vega"; }; modules = [ ./home.nix ];',
                            '"lin@b"': 'extraSpecialArgs = { hostname = "vega"; }; modules = [ ./home.nix ];'}),
        "vega.nix": host_module("vega"), "b.nix": host_module("b"), "home.nix": HOME,
    }
    analysis = analysed(files)
    assert homes_of(analysis) == {"lin@vegawin": ("lin", []), "lin@b": ("lin", ["b"])}
    assert analysis.homes["lin@vegawin"].attach_reason == "no NixOS host named vegawin: stays a standalone configuration"


def test_clues_that_disagree_stop_the_run_with_the_candidates():
    files = {
        "flake.nix": flake({"a": "[ ./a.nix ]", "b": "[ ./b.nix ]", "c": "[ ./c.nix ]"},
                           {"a": 'extraSpecialArgs = { hostname = "b"; }; modules = [ ./home.nix { home.username = "ann"; } ];'}),
        "a.nix": host_module("a"), "b.nix": host_module("b"), "c.nix": host_module("c"), "home.nix": HOME,
    }
    snapshot = from_mapping({p: t.encode() for p, t in files.items()}, "<test>")
    analysis = analyze(snapshot)
    (ann,) = analysis.homes.values()
    assert ann.ambiguous and ann.attach_candidates == ["a", "b"]
    assert "its hostname argument is b; its key is the name of host a" in ann.attach_reason
    with pytest.raises(MigrateError, match=r"pass --attach ann=HOST\[,HOST\] with HOST among a, b \(HM008\)"):
        migrating_homes(analysis)
    (finding,) = [f for f in check_all(analysis) if f.rule_id == "HM008"]
    assert finding.data["candidates"] == ["a", "b"]


# -- folders of machines that are not hosts -------------------------------------------------


def test_a_home_in_the_folder_of_a_machine_that_is_not_a_host_stays_standalone():
    files = {
        "flake.nix": flake(
            {"anvil": "[ ./machines/anvil/configuration.nix ]"},
            {"rui": "modules = [ ./machines/anvil/home.nix ];",
             "ruim": "modules = [ ./machines/macmini/home.nix ];"}),
        "machines/anvil/configuration.nix": host_module("anvil", ("rui",)),
        "machines/anvil/home.nix": HOME,
        "machines/macmini/home.nix": HOME,
    }
    analysis = analysed(files)
    assert homes_of(analysis) == {"rui": ("rui", ["anvil"]), "ruim": ("ruim", [])}
    assert analysis.homes["rui"].attach_reason == "its file is in the folder of host anvil"
    assert analysis.homes["ruim"].attach_reason.startswith(
        "its file machines/macmini/home.nix is in the folder of machine macmini, beside those of host anvil")


# -- users.users: a user on several hosts ---------------------------------------------------


FLEET = {
    "flake.nix": flake(
        {"tern": "[ ./tern.nix ./people.nix ]", "skua": "[ ./skua.nix ./people.nix ]",
         "kiln": "[ ./kiln.nix ./people.nix ]", "vault": "[ ./vault.nix ]"},
        {"mara": "modules = [ ./home.nix ];", '"mara@kiln"': "modules = [ ./home.nix ];",
         "guest": "modules = [ ./home.nix ];"}),
    "tern.nix": host_module("tern"), "skua.nix": host_module("skua"), "kiln.nix": host_module("kiln"),
    "vault.nix": host_module("vault", ("backup",)),
    "people.nix": '{ ... }:\n{\n  users.users.mara = { isNormalUser = true; };\n}\n',
    "home.nix": HOME,
}


def test_a_bare_user_key_goes_to_every_host_that_declares_the_user_without_a_user_at_host_key():
    analysis = analysed(FLEET)
    homes = homes_of(analysis)
    assert homes["mara"] == ("mara", ["skua", "tern"])
    assert homes["mara@kiln"] == ("mara", ["kiln"])
    assert analysis.homes["mara"].attach_reason == "user mara is declared in users.users of hosts skua, tern"
    assert analysis.homes["mara"].host is None  # several hosts
    # guest: no host declares it, and vault declares its users completely
    assert homes["guest"] == ("guest", []) and not analysis.homes["guest"].ambiguous
    by_users = [f for f in check_all(analysis) if f.rule_id == "HM008" and f.data.get("kind") == "by-users"]
    assert [(f.root, f.data["hosts"]) for f in by_users] == [("mara", ["skua", "tern"])]


def test_a_home_for_a_linux_that_is_not_nixos_is_not_guessed_onto_a_host_by_its_user():
    # Same user, same users.users as above; the one difference is the module that says
    # the home runs on another distribution (written inline, and in a file).
    mara = ("homeConfigurations.mara = home-manager.lib.homeManagerConfiguration {\n"
            "        pkgs = nixpkgs.legacyPackages.x86_64-linux;\n        modules = [ ./home.nix")
    assert mara in FLEET["flake.nix"]
    inline = FLEET["flake.nix"].replace(mara, mara + " { targets.genericLinux.enable = true; }")
    in_file = FLEET["flake.nix"].replace(mara, mara + " ./ubuntu.nix")
    ubuntu = "{ lib, ... }:\n{\n  targets.genericLinux.enable = lib.mkDefault true;\n}\n"
    for files in ({**FLEET, "flake.nix": inline}, {**FLEET, "flake.nix": in_file, "ubuntu.nix": ubuntu}):
        analysis = analysed(files)
        assert homes_of(analysis)["mara"] == ("mara", [])
        assert analysis.homes["mara"].attach_reason.startswith("it sets targets.genericLinux.enable")
        assert homes_of(analysis)["mara@kiln"] == ("mara", ["kiln"])  # its key still names its host
    attached = analysed({**FLEET, "flake.nix": inline}, attach={"mara": ["skua"]})
    assert homes_of(attached)["mara"] == ("mara", ["skua"])
    # Under a condition the analysis cannot decide, the setting says nothing either way.
    conditional = "{ lib, wsl, ... }:\n{\n  targets.genericLinux.enable = lib.mkIf wsl true;\n}\n"
    analysis = analysed({**FLEET, "flake.nix": in_file, "ubuntu.nix": conditional})
    assert homes_of(analysis)["mara"] == ("mara", ["skua", "tern"])


def test_a_host_declaring_a_user_by_an_argument_counts():
    files = {**FLEET, "people.nix": '{ name, ... }:\n{\n  users.users.${name} = { isNormalUser = true; };\n}\n',
             "flake.nix": FLEET["flake.nix"].replace("nixpkgs.lib.nixosSystem { modules",
                                                     'nixpkgs.lib.nixosSystem { specialArgs.name = "mara"; modules')}
    assert homes_of(analysed(files))["mara"] == ("mara", ["skua", "tern"])


def test_nothing_said_about_a_bare_user_key_on_several_hosts_stops_the_run():
    files = {
        "flake.nix": flake({"a": "[ ./a.nix ]", "b": "[ ./b.nix ]"}, {"ann": "modules = [ ./home.nix ];"}),
        "a.nix": host_module("a"), "b.nix": host_module("b"), "home.nix": HOME,
    }
    analysis = analysed(files)
    assert analysis.homes["ann"].ambiguous and analysis.homes["ann"].attach_candidates == ["a", "b"]


def test_a_channels_home_beside_configuration_nix_belongs_to_that_host_whatever_its_user():
    files = {
        "configuration.nix": host_module("nixos", ("ivo",)),
        # the user comes from the environment: the analysis cannot read it
        "home.nix": '{ ... }:\n{\n  home.username = builtins.getEnv "USER";\n  home.stateVersion = "20.09";\n}\n',
    }
    analysis = analysed(files)
    (home,) = analysis.homes.values()
    assert home.hosts == ["nixos"] and home.attach_reason == "its file is in the folder of host nixos"


def test_a_folder_several_hosts_enter_by_says_nothing():
    files = {
        "flake.nix": flake({"a": "[ ./nixos/configuration.nix ]", "b": "[ ./nixos/configuration.nix ]"},
                           {"work": "modules = [ ./nixos/home.nix ];"}),
        "nixos/configuration.nix": host_module("any"), "nixos/home.nix": HOME,
    }
    analysis = analysed(files)
    assert analysis.homes["work"].ambiguous and analysis.homes["work"].attach_candidates == ["a", "b"]
