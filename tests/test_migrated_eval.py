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
from expected.regenerate import options_of, sample_of
from flake_eval import evaluate_repo
from nixcheck import requires_nix

pytestmark = requires_nix

ROOT = Path(__file__).resolve().parent.parent
MIGRATED = ["ian-style", "ian-multihost", "wimpy-style", "channels-style", "channels-multihost",
            "channels-style:channels-keep", "channels-multihost:channels-keep"]
CHANNELS = {"channels-style", "channels-multihost"}


def _keeps_channels(name: str) -> bool:
    return options_of(name) == ["--channels", "keep"]


def _migrate(name: str, out: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "migrate", str(ROOT / "sample-configs" / sample_of(name)),
                             "--out", str(out), "--no-color", *options_of(name)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _plan(name: str):
    from migrate.analyze.analysis import analyze
    from migrate.plan import make_plan
    from migrate.rules import check_all
    from migrate.snapshot import from_directory

    snapshot = from_directory(ROOT / "sample-configs" / sample_of(name))
    analysis = analyze(snapshot)
    channels = "keep" if _keeps_channels(name) else "flake"
    return analysis, make_plan(analysis, snapshot, check_all(analysis), channels=channels)


def _inputs_only(markers) -> list[str]:
    # The tool's new inputs (channels) and the home-manager module itself are the
    # migration's own additions; everything else must be carried over.
    return sorted(m for m in markers if not m.startswith(("home-manager.", "nixos-hardware:", "nixos-unstable:")))


@pytest.fixture(scope="module", params=MIGRATED)
def evaluated(request, tmp_path_factory):
    name = request.param
    sample = sample_of(name)
    out = tmp_path_factory.mktemp(name.replace(":", "-")) / "out"
    _migrate(name, out)
    analysis, plan = _plan(name)
    before = evaluate_repo(ROOT / "sample-configs" / sample, CHANNEL_ENTRIES.get(sample))
    # With --channels keep the tree stays a channels setup: the same commands name its entries.
    after = evaluate_repo(out, CHANNEL_ENTRIES.get(sample) if _keeps_channels(name) else None)
    return name, before, after, analysis, plan


def test_hosts_evaluate_the_same_modules(evaluated):
    sample, before, after, _analysis, plan = evaluated
    renamed = {m.old: m.new for m in plan.moves}
    assert sorted(before["nixos"]) == sorted(after["nixos"])
    for host, old in before["nixos"].items():
        new = after["nixos"][host]
        assert new["modules"] == sorted(renamed.get(p, p) for p in old["modules"]), host
        assert new["system"] == old["system"], host
        if _keeps_channels(sample):
            # The same channel modules, plus Home Manager's where it has users now.
            hm = ["home-manager:/nixos"] if any(w.host == host for w in plan.wirings) else []
            assert sorted(new["external"]) == sorted(set(old["external"]) | set(hm)), host
            assert new["special_args"] == old["special_args"], host
        elif sample not in CHANNELS:
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
            old_key = "home" if sample_of(sample) == "channels-style" else key
            old = before["home"][old_key]
            new = hm["users"][user]
            assert new["modules"] == sorted(renamed.get(p, p) for p in old["modules"]), (wiring.host, user)
            assert _inputs_only(new["external"]) == _inputs_only(old["external"]), (wiring.host, user)
            added = {"inputs"} if sample in CHANNELS else set()  # the flake's, not with --channels keep
            assert sorted(set(hm["extra_special_args"]) - added) == sorted(old["extra_special_args"])
            checked += 1
    assert checked == len(plan.migrating)


def test_standalone_only_configurations_are_kept(evaluated):
    sample, before, after, analysis, plan = evaluated
    renamed = {m.old: m.new for m in plan.moves}
    migrated = set(plan.migrating)
    if _keeps_channels(sample):
        # No file moves: each home.nix can still be run standalone (the notes say not to).
        assert after["home"] == before["home"]
        return
    expected_keys = sorted(k for k in before["home"] if k not in migrated and sample not in CHANNELS)
    assert sorted(after["home"]) == expected_keys
    for key in expected_keys:
        assert after["home"][key]["modules"] == sorted(renamed.get(p, p) for p in before["home"][key]["modules"])
        assert after["home"][key]["extra_special_args"] == before["home"][key]["extra_special_args"]
