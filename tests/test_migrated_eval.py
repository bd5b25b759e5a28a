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
from expected.regenerate import VARIANTS, variants_of
from flake_eval import evaluate_repo
from nixcheck import requires_nix

pytestmark = requires_nix

ROOT = Path(__file__).resolve().parent.parent
MIGRATED = ["ian-style", "ian-multihost", "wimpy-style", "channels-style", "channels-multihost", "flakes-in-folders",
            "half-migrated", "host-user-keys", "user-on-hosts", "rough-edges", "flake-parts-style", "helpers-style",
            "unfree-overlay"]
CHANNELS = {"channels-style", "channels-multihost"}
# The home's own flake is left as it is (home-manager/flake.nix): its configuration stays.
HOME_FLAKE_KEPT = {"flakes-in-folders"}
KEPT_CHANNELS = "migrated-channels-keep"  # the variant that stays on channels


def _migrate(sample: str, variant: str, out: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "migrate", str(ROOT / "sample-configs" / sample),
                             "--out", str(out), "--no-color", *VARIANTS[variant]], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _plan(sample: str, variant: str):
    from expected.regenerate import plan_options
    from migrate.analyze.analysis import analyze
    from migrate.plan import make_plan
    from migrate.rules import check_all
    from migrate.snapshot import from_directory

    snapshot = from_directory(ROOT / "sample-configs" / sample)
    analysis = analyze(snapshot)
    return analysis, make_plan(analysis, snapshot, check_all(analysis), **plan_options(variant))


def _inputs_only(markers) -> list[str]:
    # The tool's new inputs (channels) and the home-manager module itself are the
    # migration's own additions; everything else must be carried over.
    return sorted(m for m in markers if not m.startswith(("home-manager.", "nixos-hardware:", "nixos-unstable:"))
                  and not m.endswith(".nixosModules.home-manager"))  # the input may be renamed (home-manager-stable)


def _plain_arguments(analysis, plan) -> tuple:
    """The extraSpecialArgs of the migrating homes whose values are plain data (a host's
    name, a user, a path): real Nix reports their values, before and after. Sets
    (`inputs`, `outputs`) are compared by name only."""
    from migrate.analyze.values import NixPath, force, unwrap

    names = set()
    for key in plan.migrating:
        args = getattr(analysis.homes[key].args, "attrs", {}) or {}
        for name, thunk in args.items():
            value = unwrap(force(thunk))
            if value is None or isinstance(value, (str, bool, int, NixPath)):
                names.add(name)
    return tuple(sorted(names))


@pytest.fixture(scope="module", params=[(s, v) for s in MIGRATED for v in variants_of(s)], ids="/".join)
def evaluated(request, tmp_path_factory):
    sample, variant = request.param
    out = tmp_path_factory.mktemp(sample) / "out"
    _migrate(sample, variant, out)
    analysis, plan = _plan(sample, variant)
    if variant == "migrated-keep":
        assert not plan.moves
    described = _plain_arguments(analysis, plan)
    before = evaluate_repo(ROOT / "sample-configs" / sample, CHANNEL_ENTRIES.get(sample), describe=described)
    # With --channels keep the tree stays a channels setup: the same commands name its entries.
    after = evaluate_repo(out, CHANNEL_ENTRIES.get(sample) if variant == KEPT_CHANNELS else None,
                          describe=described)
    return sample, before, after, analysis, plan


def test_hosts_evaluate_the_same_modules(evaluated):
    sample, before, after, _analysis, plan = evaluated
    renamed = {m.old: m.new for m in plan.moves}
    assert sorted(before["nixos"]) == sorted(after["nixos"])
    for host, old in before["nixos"].items():
        new = after["nixos"][host]
        assert new["modules"] == sorted(renamed.get(p, p) for p in old["modules"]), host
        assert new["system"] == old["system"], host
        if plan.keeps_channels:
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
        # the settings every form writes (a host's own list, mkHost, the repository's helper,
        # the wrapper), unless the host set its own before
        if not plan.keeps_channels:
            assert hm["use_user_packages"] is True
            assert hm["backup_file_extension"] == plan.backup_extension
        for user, key in zip(wiring.users, wiring.replaces):
            old_key = "home" if sample == "channels-style" else key
            old = before["home"][old_key]
            new = hm["users"][user]
            assert new["modules"] == sorted(renamed.get(p, p) for p in old["modules"]), (wiring.host, user)
            assert _inputs_only(new["external"]) == _inputs_only(old["external"]), (wiring.host, user)
            added = {"inputs"} if sample in CHANNELS and not plan.keeps_channels else set()  # the flake's
            assert sorted(set(hm["extra_special_args"]) - added) == sorted(old["extra_special_args"])
            # each plain value the home had (a host name, a desktop, a platform), per host
            renamed_value = lambda v: f"path:{renamed.get(v[5:], v[5:])}" if isinstance(v, str) and \
                v.startswith("path:") else v  # noqa: E731
            assert {n: renamed_value(v) for n, v in old["described_args"].items()} == \
                {n: v for n, v in hm["described_args"].items() if n in old["described_args"]}, (wiring.host, user)
            checked += 1
    assert checked == sum(len(analysis.homes[key].hosts) for key in plan.migrating)  # one per user and host


def test_standalone_only_configurations_are_kept(evaluated):
    sample, before, after, analysis, plan = evaluated
    renamed = {m.old: m.new for m in plan.moves}
    migrated = set(plan.migrating)
    if plan.keeps_channels:
        # No file moves: each home.nix can still be run standalone (the notes say not to).
        assert after["home"] == before["home"]
        return
    expected_keys = sorted(k for k in before["home"]
                           if (k not in migrated or sample in HOME_FLAKE_KEPT) and sample not in CHANNELS)
    assert sorted(after["home"]) == expected_keys
    for key in expected_keys:
        assert after["home"][key]["modules"] == sorted(renamed.get(p, p) for p in before["home"][key]["modules"])
        assert after["home"][key]["extra_special_args"] == before["home"][key]["extra_special_args"]


def _within(small, large) -> bool:
    """Whether every setting of SMALL (a described nixpkgs config) has the same value in LARGE."""
    if isinstance(small, dict) and isinstance(large, dict):
        return all(key in large and _within(value, large[key]) for key, value in small.items())
    return small == large


def test_users_build_the_package_set_their_standalone_pkgs_gave(evaluated):
    """Home Manager builds each user's packages as their standalone home did.

    Standalone, homeManagerConfiguration made `pkgs` a module (`nixpkgs.config =
    lib.mkDefault pkgs.config; nixpkgs.overlays = pkgs.overlays`) and imported `pkgs.path`;
    the harness merges that with the modules' own `nixpkgs.*` as Home Manager does (a
    module's `nixpkgs.config` replaces the default). With useGlobalPkgs = false the
    migrated user must get the same config, overlays and nixpkgs; with useGlobalPkgs =
    true the host's package set must already hold them. The hosts' own nixpkgs settings,
    which also build the system, stay as they were."""
    sample, before, after, _analysis, plan = evaluated
    for host, old in before["nixos"].items():
        assert after["nixos"][host]["nixpkgs"] == old["nixpkgs"], host
    for wiring in plan.wirings:
        hm = after["nixos"][wiring.host]["home_manager"]
        host_pkgs = after["nixos"][wiring.host]["nixpkgs"]
        for user, key in zip(wiring.users, wiring.replaces):
            old = before["home"]["home" if sample == "channels-style" else key]["nixpkgs"]
            if wiring.use_global_pkgs:
                assert host_pkgs["source"] == old["pkgs_path"], (wiring.host, user)
                assert _within(old["config"], host_pkgs["config"] or {}), (wiring.host, user)
                assert all(o in host_pkgs["overlays"] for o in old["overlays"]), (wiring.host, user)
                continue
            new = hm["users_nixpkgs"][user]
            # null: Home Manager passes no config to nixpkgs, which (evaluated purely) is {}
            assert (new["config"] or {}) == old["config"], (wiring.host, user)
            assert new["overlays"] == old["overlays"], (wiring.host, user)
            assert (new["pkgs_path"] or hm["default_pkgs_path"]) == old["pkgs_path"], (wiring.host, user)


def test_unfree_overlay_users_keep_their_unfree_settings_and_overlays():
    # What sample-configs/unfree-overlay's homes had, read from its flake.nix and
    # home/jonas/matrix.nix; the hosts allow no unfree package but plover's wifi driver.
    # Its golden tree is what the tool writes (tests/test_plan.py compares them byte for byte).
    after = evaluate_repo(ROOT / "tests" / "expected" / "unfree-overlay" / "migrated")
    overlays = [["ncmpcpp", "wl-ocr"], ["emacs-overlay.overlays.default"]]  # overlays/ and the input's
    for host in ("plover", "bittern"):
        hm = after["nixos"][host]["home_manager"]
        assert hm["use_global_pkgs"] is False
        assert hm["users_nixpkgs"]["maren"] == {
            "config": {"allowUnfree": True, "joypixels": {"acceptLicense": True}}, "overlays": overlays,
            "pkgs_path": None}
    users = after["nixos"]["bittern"]["home_manager"]["users_nixpkgs"]
    # matrix.nix sets nixpkgs.config itself, which replaces the `pkgs` config (a default)
    assert users["jonas"] == {"config": {"allowUnfree": True, "permittedInsecurePackages": ["olm-3.2.16"]},
                              "overlays": overlays, "pkgs_path": None}
    assert users["pia"] == {"config": None, "overlays": [], "pkgs_path": "nixpkgs-unstable:/"}
    assert after["nixos"]["plover"]["nixpkgs"]["config"] == {"allowUnfreePredicate": "<function>"}
    assert after["nixos"]["bittern"]["nixpkgs"] == {"config": None, "overlays": [], "source": "nixpkgs:/"}
    assert after["home"]["maren@gannet"]["nixpkgs"] == {
        "config": {"allowUnfree": True}, "overlays": [], "pkgs_path": "nixpkgs-unstable:/"}
