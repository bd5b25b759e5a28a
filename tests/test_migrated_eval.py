"""Each migrated sample, evaluated by real Nix with stub inputs (tests/flake_eval.py),
is equivalent to the original (DESIGN.md section 3): per host the same module files
(renamed) and modules from inputs, plus the home-manager module; per user attached to a
host, the modules its old standalone configuration evaluated (renamed), with the same
extraSpecialArgs names; standalone-only configurations still there, unchanged.

The harness shares no code with the tool's analyzer, so this check is independent of
the tool's own static verification.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from channel_entries import CHANNEL_ENTRIES
from flake_eval import evaluate_repo
from nixcheck import requires_nix

pytestmark = requires_nix

ROOT = Path(__file__).resolve().parent.parent
MIGRATED = ["ian-style", "ian-multihost", "wimpy-style", "channels-style", "channels-multihost", "flake-parts-style",
            "helpers-style"]
CHANNELS = {"channels-style", "channels-multihost"}


def _migrate(sample: str, out: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "migrate", str(ROOT / "sample-configs" / sample),
                             "--out", str(out), "--no-color"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _plan(sample: str):
    from migrate.analyze.analysis import analyze
    from migrate.plan import make_plan
    from migrate.rules import check_all
    from migrate.snapshot import from_directory

    snapshot = from_directory(ROOT / "sample-configs" / sample)
    analysis = analyze(snapshot)
    return analysis, make_plan(analysis, snapshot, check_all(analysis))


def _inputs_only(markers) -> list[str]:
    # The tool's new inputs (channels) and the home-manager module itself are the
    # migration's own additions; everything else must be carried over.
    return sorted(m for m in markers if not m.startswith(("home-manager.", "nixos-hardware:", "nixos-unstable:"))
                  and not m.endswith(".nixosModules.home-manager"))  # the input may be renamed (home-manager-stable)


@pytest.fixture(scope="module", params=MIGRATED)
def evaluated(request, tmp_path_factory):
    sample = request.param
    out = tmp_path_factory.mktemp(sample) / "out"
    _migrate(sample, out)
    analysis, plan = _plan(sample)
    before = evaluate_repo(ROOT / "sample-configs" / sample, CHANNEL_ENTRIES.get(sample))
    return sample, before, evaluate_repo(out), analysis, plan


def test_hosts_evaluate_the_same_modules(evaluated):
    sample, before, after, _analysis, plan = evaluated
    renamed = {m.old: m.new for m in plan.moves}
    assert sorted(before["nixos"]) == sorted(after["nixos"])
    for host, old in before["nixos"].items():
        new = after["nixos"][host]
        assert new["modules"] == sorted(renamed.get(p, p) for p in old["modules"]), host
        assert new["system"] == old["system"], host
        if sample not in CHANNELS:
            assert _inputs_only(new["external"]) == _inputs_only(old["external"]), host
            assert new["special_args"] == old["special_args"], host


def test_users_evaluate_their_old_home_configuration(evaluated):
    sample, before, after, analysis, plan = evaluated
    renamed = {m.old: m.new for m in plan.moves}
    checked = 0
    for wiring in plan.wirings:
        hm = after["nixos"][wiring.host]["home_manager"]
        assert hm is not None, f"{wiring.host} has no Home Manager"
        assert hm["use_global_pkgs"] is wiring.use_global_pkgs
        for user, key in zip(wiring.users, wiring.replaces):
            old_key = "home" if sample == "channels-style" else key
            old = before["home"][old_key]
            new = hm["users"][user]
            assert new["modules"] == sorted(renamed.get(p, p) for p in old["modules"]), (wiring.host, user)
            assert _inputs_only(new["external"]) == _inputs_only(old["external"]), (wiring.host, user)
            added = {"inputs"} if sample in CHANNELS else set()
            assert sorted(set(hm["extra_special_args"]) - added) == sorted(old["extra_special_args"])
            checked += 1
    assert checked == len(plan.migrating)


def test_standalone_only_configurations_are_kept(evaluated):
    sample, before, after, analysis, plan = evaluated
    renamed = {m.old: m.new for m in plan.moves}
    migrated = set(plan.migrating)
    expected_keys = sorted(k for k in before["home"] if k not in migrated and sample not in CHANNELS)
    assert sorted(after["home"]) == expected_keys
    for key in expected_keys:
        assert after["home"][key]["modules"] == sorted(renamed.get(p, p) for p in before["home"][key]["modules"])
        assert after["home"][key]["extra_special_args"] == before["home"][key]["extra_special_args"]
