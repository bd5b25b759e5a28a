"""The CLI on sample-configs/rough-edges, whose rough edges are the point: a half-written
.nix file and a git-crypt one that nothing imports, a server host with no user in a
two-level family of host folders (machines/<role>/<host>), a `./. + "/../profiles/..."`
string, and the user's own modules/nixos/default.nix where the layout would put
machines/default.nix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flake_eval import evaluate_repo
from nixcheck import requires_nix

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-configs" / "rough-edges"
NOT_NIX = {  # path in the sample -> where the full layout puts it
    "home/wip-hyprland.nix": "modules/home/wip-hyprland.nix",
    "secrets/wifi.nix": "secrets/wifi.nix",
}
TAKEN = "machines/default.nix would move onto modules/nixos/default.nix, which exists and stays"


def _migrate(*args) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "migrate", str(SAMPLE), "--no-color", *map(str, args)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("rough-edges") / "out"
    return out, _migrate("--out", out).stdout


@pytest.fixture(scope="module")
def dry_run_json():
    return json.loads(_migrate("--dry-run", "--json").stdout)


def test_the_sample_holds_what_it_is_meant_to_show():
    # Without these the tests below would check nothing.
    assert (SAMPLE / "secrets/wifi.nix").read_bytes().startswith(b"\x00GITCRYPT\x00")
    assert "secrets/** filter=git-crypt" in (SAMPLE / ".gitattributes").read_text()
    assert not (SAMPLE / "home/wip-hyprland.nix").read_text().rstrip().endswith("}")
    assert 'heron = mkHost { hostname = "heron"; role = "server"; };' in (SAMPLE / "flake.nix").read_text()


def test_files_that_are_not_nix_are_carried_byte_for_byte_and_named(written, dry_run_json):
    out, terminal = written
    migration = (out / "MIGRATION.md").read_text()
    for old, new in NOT_NIX.items():
        assert (out / new).read_bytes() == (SAMPLE / old).read_bytes(), old
        assert f"{old}:" in terminal and f"`{old}:" in migration, old
    unparsable = {entry["path"]: entry["error"] for entry in dry_run_json["unparsable"]}
    assert sorted(unparsable) == sorted(NOT_NIX)
    assert "encrypted with git-crypt" in unparsable["secrets/wifi.nix"]
    assert "git-crypt" not in unparsable["home/wip-hyprland.nix"]
    warned = {w["file"]: w["message"] for w in dry_run_json["warnings"]}
    assert all("carried as it is" in warned[path] for path in NOT_NIX)


def test_a_taken_target_is_a_fallback_in_every_report(written, dry_run_json):
    out, terminal = written
    assert dry_run_json["fallbacks"] == [{"path": "machines/default.nix", "reason": TAKEN}]
    assert f"- `machines/default.nix` stays where it is: {TAKEN}" in (out / "MIGRATION.md").read_text()
    assert TAKEN in terminal
    # The user's module keeps its bytes; the entry that stayed reaches the moved hosts.
    assert (out / "modules/nixos/default.nix").read_bytes() == (SAMPLE / "modules/nixos/default.nix").read_bytes()
    entry = (out / "machines/default.nix").read_text()
    assert "../hosts/${role}/${hostname}" in entry and "../modules/nixos/desktops" in entry
    assert (out / "hosts/server/heron/default.nix").is_file()
    assert not (out / "machines/server").exists()


def test_the_climbing_string_still_names_the_profile(written):
    out, _terminal = written
    desktop = (out / "modules/home/desktop/default.nix").read_text()
    assert '(./. + "/../profiles/${username}/desktop.nix")' in desktop
    assert (out / "modules/home/profiles/ana/desktop.nix").is_file()


def test_the_repositorys_mkhost_wires_home_manager_and_the_flake_keeps_its_lines(written):
    # lib/'s mkHost builds the hosts: it gets Home Manager for the hosts whose users had
    # homes (heron, the server built by the same helper, stays as it was); the flake's
    # host lines stay as the user wrote them, and no wrapper is added.
    out, _terminal = written
    flake = (out / "flake.nix").read_text()
    original = (SAMPLE / "flake.nix").read_text()
    for line in original.splitlines():
        if line.strip().startswith(("lark  = mkHost", "wren  = mkHost", "heron = mkHost")):
            assert line in flake.splitlines()
    assert "extendModules" not in flake and "withHomeManager" not in flake
    assert "ana@lark" not in flake and "ana@wren" not in flake
    helper = (out / "lib/default.nix").read_text()
    assert 'if builtins.elem hostname [ "lark" "wren" ] then' in helper
    assert "users.${username}.imports = [ ../modules/home ];" in helper
    # mkHome's extraSpecialArgs as it writes them; its `++ extraModules` (default [ ]) dropped
    assert "inherit hostname username desktop;" in helper.split("mkHome =")[0]


@requires_nix
def test_the_server_without_a_user_is_not_wired_and_evaluates_the_same(written, dry_run_json):
    out, _terminal = written
    heron = {h["name"]: h for h in dry_run_json["hosts"]}["heron"]
    assert heron["users"] == []
    flake = (out / "flake.nix").read_text()
    assert '        heron = mkHost { hostname = "heron"; role = "server"; };\n' in flake
    assert "**heron**" not in (out / "MIGRATION.md").read_text()

    renamed = {move["old"]: move["new"] for move in dry_run_json["plan"]}
    before, after = evaluate_repo(SAMPLE)["nixos"], evaluate_repo(out)["nixos"]
    assert after["heron"]["home_manager"] is None
    assert after["heron"]["modules"] == sorted(renamed.get(p, p) for p in before["heron"]["modules"])
    assert "hosts/server/heron/backups.nix" in after["heron"]["modules"]
    for key in ("system", "special_args", "external"):
        assert after["heron"][key] == before["heron"][key], key
    # The workstations beside it are wired.
    assert sorted(after["lark"]["home_manager"]["users"]) == ["ana"]
    assert sorted(after["wren"]["home_manager"]["users"]) == ["ana"]
