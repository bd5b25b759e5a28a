"""The analyzer against the hand-written expectations of every sample repository."""

import json
from pathlib import Path

import pytest

from migrate.analyze.analysis import analyze
from migrate.snapshot import from_directory

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.name for p in (ROOT / "sample-configs").iterdir() if p.is_dir())


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request):
    name = request.param
    expected = json.loads((ROOT / "tests" / "expected" / name / "analysis.json").read_text())
    snapshot = from_directory(ROOT / "sample-configs" / name)
    return name, expected, analyze(snapshot).to_json(), snapshot


def test_every_sample_has_an_expectation():
    assert SAMPLES, "no sample repositories found"
    for name in SAMPLES:
        assert (ROOT / "tests" / "expected" / name / "analysis.json").is_file(), name


def test_layout(sample):
    _name, expected, got, _ = sample
    assert got["layout"] == expected["layout"]


def test_hosts(sample):
    _name, expected, got, _ = sample
    hosts = {h["name"]: h for h in got["hosts"]}
    assert sorted(hosts) == sorted(expected["hosts"])
    for name, want in expected["hosts"].items():
        have = hosts[name]
        assert have["system"] == want["system"], name
        assert sorted(have["modules"]) == sorted(want["modules"]), name
        assert sorted(have["conditional_modules"]) == sorted(want.get("conditional_modules", [])), name
        assert sorted(have["external_modules"]) == sorted(want["external_modules"]), name
        assert sorted(have["users"]) == sorted(want["users"]), name


def test_home_configurations(sample):
    _name, expected, got, _ = sample
    homes = {h["name"]: h for h in got["home_configurations"]}
    assert sorted(homes) == sorted(expected["home_configurations"])
    for name, want in expected["home_configurations"].items():
        have = homes[name]
        for key in ("user", "host", "integrated"):
            assert have[key] == want[key], (name, key)
        if "hosts" in want:  # a user on several hosts has no single `host`
            assert sorted(have["hosts"]) == sorted(want["hosts"]), name
        assert sorted(have["modules"]) == sorted(want["modules"]), name
        assert sorted(have["conditional_modules"]) == sorted(want.get("conditional_modules", [])), name
        assert sorted(have["external_modules"]) == sorted(want["external_modules"]), name
        assert sorted(have["extra_special_args"]) == sorted(want["extra_special_args"]), name


def test_file_roles(sample):
    _name, expected, got, snapshot = sample
    roles = {f["path"]: f["role"] for f in got["files"]}
    assert set(roles) == set(snapshot.nix_files())
    assert roles == expected["files"]


def test_every_reached_file_has_a_reason(sample):
    _name, _expected, got, _ = sample
    for info in got["files"]:
        assert info["reasons"], info["path"]
