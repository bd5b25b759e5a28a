"""hm-migrate's own flake.nix, evaluated by Nix against a stub of nixpkgs.

`nix run github:OWNER/hm-migrate` cannot be built here (no nixpkgs, no network), so
the flake and nix/*.nix are evaluated with `nix-instantiate --eval` against
tests/nix_stubs/nixpkgs_for_package.nix, whose builders return what they were given.
What that checks: the package depends on exactly pyproject.toml's dependencies, each
system gets the pinned pynix-parser wheel for its CPython (patched on Linux only),
and the app, shell and formatter exist for every system the wheels cover. Whether
the pins equal what PyPI serves is checked by nix/check_wheels.py (it needs the
network).
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from nixcheck import NIX_INSTANTIATE, requires_nix

ROOT = Path(__file__).resolve().parents[1]
STUB = ROOT / "tests" / "nix_stubs" / "nixpkgs_for_package.nix"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PINS = json.loads((ROOT / "nix" / "pynix-parser-wheels.json").read_text())
SYSTEMS = sorted(PINS["systems"])

pytestmark = requires_nix


def evaluate(body: str, python: str = "3.13") -> object:
    """BODY (a Nix expression over `outputs` and `lib`) evaluated to JSON."""
    expression = f"""
      let
        flake = import {ROOT / "flake.nix"};
        nixpkgs = import {STUB} {{ pythonVersion = "{python}"; }};
        inherit (nixpkgs) lib;
        outputs = flake.outputs {{ self = outputs; inherit nixpkgs; }};
      in {body}
    """
    result = subprocess.run([NIX_INSTANTIATE, "--eval", "--strict", "--json", "--expr", expression],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise NixError(result.stderr)
    return json.loads(result.stdout)


class NixError(AssertionError):
    pass


@pytest.mark.parametrize("path", [ROOT / "flake.nix", *sorted((ROOT / "nix").glob("*.nix")), STUB],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_nix_file_of_the_flake_parses(path):
    result = subprocess.run([NIX_INSTANTIATE, "--parse", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("system", SYSTEMS)
def test_the_package_depends_on_what_pyproject_declares(system):
    package = evaluate(f"""
      let p = outputs.packages.{system}.default; in {{
        inherit (p) pname version builder;
        dependencies = map (d: {{ inherit (d) pname; version = d.version or null; }}) p.dependencies;
        build_system = map (d: d.pname) p.build-system;
        main_program = p.meta.mainProgram;
      }}
    """)
    declared = {canonicalize_name(Requirement(r).name): Requirement(r) for r in PROJECT["project"]["dependencies"]}
    assert sorted(canonicalize_name(d["pname"]) for d in package["dependencies"]) == sorted(declared)
    for dependency in package["dependencies"]:
        if dependency["version"] is not None:  # a package the flake builds itself: pynix-parser
            assert dependency["version"] in declared[canonicalize_name(dependency["pname"])].specifier
    assert package["builder"] == "buildPythonApplication"
    assert (package["pname"], package["version"]) == (PROJECT["project"]["name"], PROJECT["project"]["version"])
    assert [package["main_program"]] == list(PROJECT["project"]["scripts"])
    assert package["build_system"] == [Requirement(r).name for r in PROJECT["build-system"]["requires"]]


def test_the_source_holds_what_the_build_reads():
    source = evaluate("outputs.packages.x86_64-linux.default.src")
    files = {str(Path(f).relative_to(source["root"])) for f in source["files"]}
    readme = PROJECT["project"]["readme"]
    packages = {pattern.rstrip("*") for pattern in PROJECT["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert files == {"pyproject.toml", readme, *packages}
    assert all((ROOT / f).exists() for f in files)


@pytest.mark.parametrize("python", ["3.11", "3.12", "3.13", "3.14"])
@pytest.mark.parametrize("system", SYSTEMS)
def test_each_system_gets_the_pinned_wheel_for_its_python(system, python):
    parser = evaluate(f"""
      let d = builtins.head (builtins.filter (d: d.pname == "pynix-parser")
                                              outputs.packages.{system}.default.dependencies); in {{
        inherit (d) format version builder;
        src = {{ inherit (d.src) url hash builder name; }};
        native = map (p: p.pname) d.nativeBuildInputs;
        libraries = map (p: p.pname) d.buildInputs;
        platforms = d.meta.platforms;
      }}
    """, python)
    tag = "cp" + python.replace(".", "")
    platform = PINS["systems"][system]["platform"]
    assert parser["builder"] == "buildPythonPackage" and parser["format"] == "wheel"
    assert parser["src"]["builder"] == "fetchurl"
    assert parser["src"]["name"] == f"pynix_parser-{parser['version']}-{tag}-{tag}-{platform}.whl"
    assert parser["src"]["url"].endswith("/" + parser["src"]["name"])
    assert re.fullmatch(r"sha256-[A-Za-z0-9+/]{43}=", parser["src"]["hash"])
    if system.endswith("-linux"):
        assert (parser["native"], parser["libraries"]) == (["auto-patchelf-hook"], ["gcc-lib"])
    else:
        assert (parser["native"], parser["libraries"]) == ([], [])
    assert parser["platforms"] == SYSTEMS


def test_a_python_without_a_wheel_is_refused_in_words():
    with pytest.raises(NixError, match=r"no wheel is pinned for CPython 3\.10 on x86_64-linux; pinned: cp311"):
        evaluate("map (d: (d.src or { }).url or null) outputs.packages.x86_64-linux.default.dependencies", "3.10")


def test_a_system_without_a_wheel_is_refused_in_words():
    # The flake offers only the covered systems; the package itself says why on another.
    with pytest.raises(NixError, match="no wheel is pinned for aarch64-linux; hm-migrate's flake covers"):
        evaluate(f"map (d: (d.src or {{ }}).url or null) "
                 f"(nixpkgs.legacyPackages.aarch64-linux.callPackage {ROOT}/nix/package.nix {{ }}).dependencies")


def test_app_shell_and_formatter_exist_for_every_covered_system():
    outputs = evaluate("""{
      systems = lib.genAttrs [ "packages" "apps" "devShells" "formatter" ] (name: builtins.attrNames outputs.${name});
      apps = builtins.mapAttrs (system: a: a.default // { package = outputs.packages.${system}.default.outPath; }) outputs.apps;
      shells = builtins.mapAttrs (system: s: {
        inputs_from = map (p: p.outPath) s.default.inputsFrom;
        packages = map (p: p.pname) s.default.packages;
      }) outputs.devShells;
      formatters = builtins.mapAttrs (system: f: f.pname) outputs.formatter;
    }""".replace("./nix/", f"{ROOT}/nix/"))
    assert outputs["systems"] == {name: SYSTEMS for name in ("packages", "apps", "devShells", "formatter")}
    for system in SYSTEMS:
        app = outputs["apps"][system]
        assert app["type"] == "app" and app["program"] == f"{app['package']}/bin/migrate"
        shell = outputs["shells"][system]
        assert shell["inputs_from"] == [app["package"]]
        test_requirements = {canonicalize_name(Requirement(r).name) for r in PROJECT["project"]["optional-dependencies"]["test"]}
        assert test_requirements <= set(shell["packages"])
        assert "nix" in shell["packages"] and "git" in shell["packages"]
        assert outputs["formatters"][system] == "nixfmt"
