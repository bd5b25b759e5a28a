"""Broken repositories: each gets one clear error or a warning with file:line, never a traceback."""

import pytest

from migrate.analyze.analysis import analyze
from migrate.errors import MigrateError
from migrate.snapshot import from_mapping

FLAKE = """{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  outputs = { nixpkgs, home-manager, ... }@inputs: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./configuration.nix ];
    };
    homeConfigurations.me = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./home.nix ];
    };
  };
}
"""
HOME = "{ ... }: { home.stateVersion = \"24.05\"; }\n"


def run(files):
    return analyze(from_mapping({"flake.nix": FLAKE, "home.nix": HOME, **files}))


def messages(analysis):
    return [(w.file, w.line, w.message) for w in analysis.warnings]


def test_missing_imported_file_is_a_warning_with_its_line():
    analysis = run({"configuration.nix": "{ ... }:\n{\n  imports = [\n    ./nope.nix\n  ];\n}\n"})
    assert ("configuration.nix", 4, "imported module nope.nix does not exist in the repository") in messages(analysis)
    assert analysis.files["configuration.nix"].role == "host:box"


def test_import_cycle_is_reported_and_terminates():
    analysis = run({
        "configuration.nix": "{ ... }: { imports = [ ./a.nix ]; }\n",
        "a.nix": "{ ... }:\n{ imports = [ ./configuration.nix ]; }\n",
    })
    cycle = [m for m in messages(analysis) if "import cycle" in m[2]]
    assert cycle == [("a.nix", 2, "import cycle: configuration.nix -> a.nix -> configuration.nix "
                                  "(Nix imports each module once, so it is harmless)")]
    assert set(analysis.hosts["box"].files) == {"configuration.nix", "a.nix"}


def test_paths_leaving_the_repository_are_not_followed():
    analysis = run({"configuration.nix": "{ ... }:\n{\n  imports = [ ../../etc/x.nix /etc/nixos/y.nix ];\n}\n"})
    found = messages(analysis)
    assert ("configuration.nix", 3, "path ../../etc/x.nix leaves the repository; it is not followed") in found
    assert ("configuration.nix", 3, "path /etc/nixos/y.nix is outside the repository; it is not read") in found
    assert set(analysis.hosts["box"].files) == {"configuration.nix"}


def _refusal(files) -> str:
    """The analysis leaves a root that imports a broken module out; with nothing else to
    migrate, the plan stops on it."""
    from migrate.plan import make_plan

    analysis = run(files)
    with pytest.raises(MigrateError) as err:
        make_plan(analysis, analysis.evaluator.snapshot, [])
    return str(err.value)


def test_syntax_error_in_an_imported_file_names_file_line_col():
    message = _refusal({"configuration.nix": "{ ... }: { imports = [ ./a.nix ]; }\n", "a.nix": "{ ... }: {\n  x = ;\n}\n"})
    assert message.startswith("a.nix:2:7: syntax error: unexpected ';'")
    assert "host box imports it (flake.nix -> configuration.nix -> a.nix); fix the file" in message


def test_non_utf8_file_is_refused_with_position():
    message = _refusal({"configuration.nix": b"{ ... }:\n{ x = \"caf\xe9\"; }\n"})
    assert message.startswith("configuration.nix:2:11: file is not valid UTF-8; "
                              "host box imports it (flake.nix -> configuration.nix); fix the file")


def test_a_host_that_imports_a_broken_module_is_left_out_and_the_others_migrate():
    flake = FLAKE.replace("""    homeConfigurations.me""", """    nixosConfigurations.other = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./other.nix ];
    };
    homeConfigurations."me@other" = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./home.nix ];
    };
    homeConfigurations."me@box\"""")
    analysis = analyze(from_mapping({
        "flake.nix": flake, "home.nix": HOME, "other.nix": "{ ... }: { }\n",
        "configuration.nix": "{ ... }: { imports = [ ./a.nix ]; }\n", "a.nix": "{ ... }: {\n  x = ;\n}\n"}))
    assert analysis.hosts["box"].unreadable and not analysis.hosts["other"].unreadable
    assert analysis.homes["me@box"].hosts == [] and "cannot be read" in analysis.homes["me@box"].attach_reason
    assert analysis.homes["me@other"].hosts == ["other"]
    assert "a.nix" in analysis.unparsable
    assert any("host box does not build as it is, so it is left as it is" in w.message for w in analysis.warnings)


TWO_HOSTS = FLAKE.replace("""    homeConfigurations.me""", """    nixosConfigurations.other = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./other.nix ];
    };
    homeConfigurations."me@other" = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./other-home.nix ];
    };
    homeConfigurations."me@box\"""")


def test_a_flake_home_that_imports_a_missing_file_stays_standalone_so_its_host_still_builds():
    # The flake cannot see the file, so the home does not build; wired into box it would
    # stop box from building as well.
    analysis = analyze(from_mapping({
        "flake.nix": TWO_HOSTS, "home.nix": "{ ... }: {\n  imports = [ ./gone.nix ];\n}\n",
        "other-home.nix": HOME, "other.nix": "{ ... }: { }\n", "configuration.nix": "{ ... }: { }\n"}))
    assert analysis.homes["me@box"].hosts == [] and "cannot be read" in analysis.homes["me@box"].attach_reason
    assert analysis.homes["me@other"].hosts == ["other"]
    assert "box" not in [h for h in analysis.homes["me@other"].hosts]
    assert any(w.message.startswith("home.nix:2: imported module gone.nix does not exist in the repository; "
                                    "home me@box imports it") and "left as it is" in w.message
               for w in analysis.warnings)


def test_a_flake_whose_only_home_imports_a_missing_file_is_refused_with_file_and_line():
    message = _refusal({"configuration.nix": "{ ... }: { }\n"} | {"home.nix": "{ ... }:\n{\n  imports = [ ./gone.nix ];\n}\n"})
    assert message.startswith("home.nix:3: imported module gone.nix does not exist in the repository; home me imports it")
    assert message.endswith("or remove the import, and run again; nothing was written")


def test_a_computed_path_that_names_nothing_is_only_a_warning():
    # The analysis computed it; where its evaluation differs from Nix's, a refusal would
    # be the tool's mistake, not the user's.
    analysis = run({"configuration.nix": "{ ... }: { }\n",
                    "home.nix": "{ ... }:\n{\n  imports = [ (./. + \"/gone.nix\") ];\n}\n"})
    assert not analysis.homes["me"].unreadable and analysis.homes["me"].hosts == ["box"]
    assert ("home.nix", 3, "imported module gone.nix does not exist in the repository") in messages(analysis)


def test_a_missing_file_behind_a_condition_is_only_a_warning():
    analysis = run({"configuration.nix": "{ ... }: { }\n",
                    "home.nix": "{ lib, gpu, ... }:\n{\n  imports = lib.optional (gpu == 1) ./gone.nix;\n}\n"})
    assert not analysis.homes["me"].unreadable and analysis.homes["me"].hosts == ["box"]


def test_condition_on_an_unlisted_argument_is_conditional_with_a_warning():
    analysis = run({
        "configuration.nix": "{ lib, gpu, ... }:\n{\n  imports = lib.optional (gpu == \"nvidia\") ./nvidia.nix;\n}\n",
        "nvidia.nix": "{ ... }: { hardware.nvidia.open = true; }\n",
    })
    reach = analysis.hosts["box"].files["nvidia.nix"]
    assert reach.conditional
    assert reach.edges[0].conditions == ('gpu == "nvidia"',)
    assert ("configuration.nix", 3, 'host box imports nvidia.nix only if gpu == "nvidia": the analysis cannot '
            "decide this, so the file is kept as conditional") in messages(analysis)
    assert analysis.to_json()["hosts"][0]["conditional_modules"] == ["nvidia.nix"]


def test_condition_on_a_known_argument_is_decided():
    files = {
        "configuration.nix": "{ lib, gpu, ... }: { imports = lib.optional (gpu == \"nvidia\") ./nvidia.nix; }\n",
        "nvidia.nix": "{ ... }: { }\n",
    }
    flake = FLAKE.replace("specialArgs = { inherit inputs; };", 'specialArgs = { inherit inputs; gpu = "amd"; };')
    analysis = analyze(from_mapping({"flake.nix": flake, "home.nix": HOME, **files}))
    assert "nvidia.nix" not in analysis.hosts["box"].files
    assert analysis.files["nvidia.nix"].role == "orphan"


def test_unknown_layout_is_refused():
    with pytest.raises(MigrateError) as err:
        analyze(from_mapping({"README.md": "hello"}))
    assert "unknown layout" in str(err.value)


def test_flake_without_configurations_is_refused():
    with pytest.raises(MigrateError) as err:
        analyze(from_mapping({"flake.nix": "{ outputs = { self, ... }: { packages = { }; }; }\n"}))
    assert "neither nixosConfigurations nor homeConfigurations" in str(err.value)


def test_user_module_setting_boot_options_is_flagged():
    analysis = run({
        "configuration.nix": "{ ... }: { }\n",
    } | {"home.nix": "{ ... }:\n{\n  boot.loader.systemd-boot.enable = true;\n  home.stateVersion = \"24.05\";\n}\n"})
    info = analysis.files["home.nix"]
    assert info.role == "user"
    assert info.flags == ["a Home Manager module setting NixOS-only options: boot.loader"]


def test_an_import_through_a_symlink_leading_out_says_so():
    analysis = analyze(from_mapping(
        {"flake.nix": FLAKE, "home.nix": HOME, "configuration.nix": "{ ... }:\n{\n  imports = [ ./out.nix ./loop.nix ];\n}\n",
         "out.nix": "../../etc/nixos/hardware.nix", "loop.nix": "loop.nix"},
        modes={"out.nix": 0o120000, "loop.nix": 0o120000}))
    found = [m for f, line, m in messages(analysis) if f == "configuration.nix" and line == 3]
    assert found == [f"imported module {name} is a symlink that leads outside the repository (or in a loop); "
                     "the analysis does not follow it" for name in ("out.nix", "loop.nix")], messages(analysis)


def test_a_second_home_of_the_user_does_not_take_the_place_of_a_broken_one():
    # console@box is a rescue profile beside me@box: with me@box unreadable, wiring the
    # rescue profile into box would silently change what the user gets there.
    flake = FLAKE.replace("    homeConfigurations.me", """    homeConfigurations."console@box" = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      extraSpecialArgs = { username = "me"; };
      modules = [ ./console.nix ];
    };
    homeConfigurations."me@box\"""")
    analysis = analyze(from_mapping({
        "flake.nix": flake, "configuration.nix": "{ ... }: { }\n",
        "home.nix": "{ ... }: { imports = [ ./broken.nix ]; }\n", "broken.nix": "{ ... }: {\n  x = ;\n}\n",
        "console.nix": '{ ... }: { home.username = "me"; home.stateVersion = "24.05"; }\n'}))
    assert analysis.homes["me@box"].hosts == [] and analysis.homes["console@box"].hosts == []
    assert analysis.homes["console@box"].attach_reason.startswith("another home of user me on box imports a module")
    assert analysis.hosts["box"].users == []
