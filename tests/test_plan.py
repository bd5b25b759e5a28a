"""The planner end to end on the bundled samples: golden trees, byte preservation,
idempotence, verification stopping a bad plan, and the dry-run JSON document.

Golden trees live in tests/expected/<sample>/migrated/ and are regenerated only by
tests/expected/regenerate.py, so that every change to the output is a reviewed diff.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.expected.regenerate import VARIANTS, plan_options, variants_of
from tests.nixcheck import NIX_INSTANTIATE, requires_nix

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample-configs"
EXPECTED = ROOT / "tests" / "expected"

# The samples the tool migrates. Adding one: append it here, then run
# `python tests/expected/regenerate.py NAME` and review the new golden tree.
MIGRATED = [
    "ian-style",
    "ian-multihost",
    "wimpy-style",
    "channels-style",
    "channels-multihost",
    "flakes-in-folders",
    "half-migrated",
    "host-user-keys",
    "user-on-hosts",
    "rough-edges",
    "flake-parts-style",
    "helpers-style",
    "unfree-overlay",
]
# (sample, golden variant): each way the CLI runs on each sample (regenerate.VARIANTS).
RUNS = [(sample, variant) for sample in MIGRATED for variant in variants_of(sample)]
# The runs the in-process plan and the dry run are checked for (byte preservation, JSON).
PLANNED = [(sample, variant) for sample, variant in RUNS if variant in ("migrated", "migrated-channels-keep")]


def migrate(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "migrate", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or ROOT,
    )


def tree_state(root: Path) -> dict[str, tuple]:
    """relative path -> (kind, bytes or link target, executable) for everything under ROOT."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                state[rel] = ("link", os.readlink(path), False)
            elif stat.S_ISDIR(info.st_mode):
                state[rel] = ("dir", None, False)
            else:
                state[rel] = ("file", path.read_bytes(), bool(info.st_mode & 0o111))
    return state


def listing_with_mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.lstat().st_mtime_ns for p in root.rglob("*")}


def in_process_plan(sample: str, variant: str = "migrated"):
    """The same steps as migrate.run, without writing: (snapshot, plan)."""
    from migrate.analyze.analysis import analyze
    from migrate.plan import make_plan
    from migrate.rules import check_all
    from migrate.snapshot import from_directory

    snapshot = from_directory(SAMPLES / sample)
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis), **plan_options(variant))
    return snapshot, plan


@pytest.fixture(scope="module", params=RUNS, ids="/".join)
def written(request, tmp_path_factory):
    """(sample, out dir, completed process, golden variant) of `migrate SAMPLE --out DIR
    [options of the variant]`, once per sample and variant."""
    sample, variant = request.param
    out = tmp_path_factory.mktemp(sample) / "out"
    result = migrate(SAMPLES / sample, "--out", out, "--no-color", *VARIANTS[variant])
    assert result.returncode == 0, result.stderr
    return sample, out, result, variant


@pytest.fixture(scope="module", params=PLANNED, ids="/".join)
def planned(request):
    sample, variant = request.param
    snapshot, plan = in_process_plan(sample, variant)
    return sample, snapshot, plan


@pytest.fixture(scope="module", params=PLANNED, ids="/".join)
def dry_run(request, tmp_path_factory):
    """(sample, process, sample dir before, after, cwd, variant) of `--dry-run --json`, from an empty cwd."""
    sample, variant = request.param
    cwd = tmp_path_factory.mktemp(f"{sample}-cwd")
    before = listing_with_mtimes(SAMPLES / sample)
    result = migrate(SAMPLES / sample, "--dry-run", "--json", "--no-color", *VARIANTS[variant], cwd=cwd)
    after = listing_with_mtimes(SAMPLES / sample)
    return sample, result, before, after, cwd, variant


# -- golden trees ---------------------------------------------------------------------------


def test_every_golden_tree_is_tested():
    # A golden tree nobody compares would rot silently; a listed sample without one
    # would fail every test below with a confusing "missing file" message.
    golden = sorted((p.parent.name, p.name) for p in EXPECTED.glob("*/migrated*") if p.is_dir())
    assert golden == sorted(RUNS)


def test_written_tree_matches_golden(written):
    sample, out, _, variant = written
    got, want = tree_state(out), tree_state(EXPECTED / sample / variant)
    assert sorted(got) == sorted(want), "file lists differ (run tests/expected/regenerate.py if intended)"
    for path in sorted(want):
        assert got[path][0] == want[path][0], f"{path}: kind"
        assert got[path][1] == want[path][1], f"{path}: bytes differ (run tests/expected/regenerate.py if intended)"
        assert got[path][2] == want[path][2], f"{path}: executable bit"


def test_out_reports_where_it_wrote(written):
    _sample, out, result, _variant = written
    # Only the words: rich may wrap a long temporary path.
    assert "wrote the migrated tree to" in result.stdout
    assert not [p for p in out.parent.iterdir() if p != out], "staging directory left behind"


# -- byte preservation ----------------------------------------------------------------------


def _merged(ranges):
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _kept_segments(data: bytes, ranges) -> list[bytes]:
    segments, position = [], 0
    for start, end in _merged(ranges):
        segments.append(data[position:start])
        position = end
    segments.append(data[position:])
    return segments


def test_edits_touch_only_their_ranges(planned):
    sample, snapshot, plan = planned
    renamed = {m.old: m.new for m in plan.moves}
    assert plan.edited_ranges, f"{sample}: no edit ranges, so this test checks nothing"
    for old, ranges in plan.edited_ranges.items():
        new = renamed.get(old, old)
        before, after = snapshot.read_bytes(old), plan.tree[new]
        segments = _kept_segments(before, ranges)
        # An edit replaces ranges (insertions are empty ranges), so what precedes the
        # first one and follows the last one stays anchored at the ends of the file.
        assert after.startswith(segments[0]), f"{old} -> {new}: head changed"
        assert after.endswith(segments[-1]), f"{old} -> {new}: tail changed"
        position = 0
        for index, segment in enumerate(segments):
            found = after.find(segment, position)
            assert found >= 0, f"{old} -> {new}: bytes outside the edits lost or reordered (segment {index}: {segment[:80]!r})"
            position = found + len(segment)


def test_unedited_files_keep_their_bytes(planned):
    sample, snapshot, plan = planned
    renamed = {m.old: m.new for m in plan.moves}
    for old in snapshot.paths():
        if old in plan.edited_ranges:
            continue
        new = renamed.get(old, old)
        original = snapshot.raw_bytes(old) if snapshot.is_symlink(old) else snapshot.read_bytes(old)
        assert plan.tree.get(new) == original, f"{sample}: {old} -> {new} changed without an edit range"
        assert new not in plan.changed, f"{sample}: {new} marked changed without an edit range"


def _comment_tokens(data: bytes) -> list[str]:
    import pynix_parser

    tree = pynix_parser.parse(data.decode("utf-8"))
    return [e.text().strip() for e in tree.descendants_with_tokens() if e.kind() == "TOKEN_COMMENT"]


def _parsed_nix_files(snapshot, plan, renamed) -> list[str]:
    """The sample's .nix files that are Nix; the others (a half-written file, a git-crypt
    one) must be carried byte for byte, which this checks as it leaves them out."""
    import pynix_parser

    parsed = []
    for old in snapshot.nix_files():
        data = snapshot.read_bytes(old)
        try:
            pynix_parser.parse(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            assert plan.tree.get(renamed.get(old, old)) == data, f"{old}: not Nix, yet not carried as it is"
            continue
        parsed.append(old)
    return parsed


def _quoted(sample: str, variant: str) -> str:
    """MIGRATION.md of the golden tree: the comments of the entries the migration removed."""
    notes = EXPECTED / sample / variant / "MIGRATION.md"
    text = notes.read_text(encoding="utf-8") if notes.is_file() else ""
    section = text.split("## Removed from the flake", 1)[1].split("\n## ", 1)[0] if "## Removed" in text else ""
    return section


def test_every_comment_survives(planned):
    # Token level: end-of-line and block comments count too, not only comment lines. A
    # comment of an entry the migration removed is quoted in MIGRATION.md, under its entry.
    sample, snapshot, plan = planned
    renamed = {m.old: m.new for m in plan.moves}
    flake = plan.tree.get("flake.nix", b"").decode("utf-8")  # none: flakes-in-folders, --channels keep
    quoted = _quoted(sample, "migrated" if sample not in ("channels-style", "channels-multihost") else "migrated")
    for old in _parsed_nix_files(snapshot, plan, renamed):
        moved = plan.tree.get(renamed.get(old, old), b"").decode("utf-8")
        for comment in _comment_tokens(snapshot.read_bytes(old)):
            in_notes = f"      {comment}" in quoted and any(comment in comments for _label, where, comments
                                                             in plan.removed_comments if where.startswith(old + ":"))
            assert comment in moved or comment in flake or in_notes, f"{sample}: {old}: comment lost: {comment}"


def test_comment_lines_survive(planned):
    sample, snapshot, plan = planned
    renamed = {m.old: m.new for m in plan.moves}

    def stripped_lines(data: bytes) -> set[str]:
        return {line.strip() for line in data.decode("utf-8").splitlines()}

    flake = stripped_lines(plan.tree.get("flake.nix", b""))
    for old in _parsed_nix_files(snapshot, plan, renamed):
        moved = stripped_lines(plan.tree.get(renamed.get(old, old), b""))
        for number, line in enumerate(snapshot.read_bytes(old).decode("utf-8").splitlines(), 1):
            comment = line.strip()
            quoted = any(comment in comments for _label, where, comments in plan.removed_comments
                         if where.startswith(old + ":"))
            if comment.startswith("#"):
                assert comment in moved or comment in flake or quoted, f"{sample}: {old}:{number}: comment lost: {comment}"


# -- the written tree parses ----------------------------------------------------------------


def _rejected_by_nix(path: Path) -> bool:
    return subprocess.run([NIX_INSTANTIATE, "--parse", str(path)], capture_output=True).returncode != 0


@requires_nix
def test_every_written_nix_file_parses(written):
    sample, out, _, _variant = written
    files = sorted(str(p) for p in out.rglob("*.nix"))
    assert files, f"{sample}: no .nix file written"
    # The sample's own files Nix rejects (a half-written one, a git-crypt one) are carried
    # as they are; any other rejected file is the tool's doing.
    sample_bytes = {p.read_bytes(): p for p in (SAMPLES / sample).rglob("*.nix")}
    carried = []
    while True:
        # One process for all files: nix stops at the first bad one and names it.
        result = subprocess.run([NIX_INSTANTIATE, "--parse", *files], capture_output=True, text=True)
        if result.returncode == 0:
            break
        named = re.search(r"\bat (/\S+\.nix):\d+:\d+", result.stderr)
        assert named and named.group(1) in files, result.stderr
        original = sample_bytes.get(Path(named.group(1)).read_bytes())
        assert original is not None and _rejected_by_nix(original), result.stderr
        files.remove(named.group(1))
        carried.append(original.relative_to(SAMPLES / sample).as_posix())
    assert sorted(carried) == sorted(CARRIED_INVALID.get(sample, [])), sample


# What each sample holds that is not Nix, and nothing imports: carried as it is.
CARRIED_INVALID = {"rough-edges": ["home/wip-hyprland.nix", "secrets/wifi.nix"]}


# -- idempotence ----------------------------------------------------------------------------


def test_migrated_tree_is_recognised_as_migrated(written):
    sample, out, _, _variant = written
    result = migrate(out, "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["status"] == "already-migrated", (sample, document.get("message"))
    assert document["plan"] == []


def test_migrating_the_migrated_tree_writes_nothing(written, tmp_path):
    sample, out, _, _variant = written
    before = tree_state(out)
    again = tmp_path / "again"
    result = migrate(out, "--out", again, "--no-color")
    assert result.returncode == 0, result.stderr
    assert "already migrated" in result.stdout
    assert not again.exists(), f"{sample}: a second migration wrote {again}"
    assert list(tmp_path.iterdir()) == []
    assert tree_state(out) == before


# -- verification stops a bad plan ----------------------------------------------------------

# ian-style's host entry imports ./boot.nix; pointing that literal at another module
# makes the planned host lose modules/nixos/boot.nix, which verification must catch.
_SABOTAGE = """
import migrate.plan.paths as paths
_original = paths.Rewriter.new_text
def _wrong(self, old_file, literal):
    if old_file == "nixos/configuration.nix" and literal.text == "./boot.nix":
        return "../../modules/nixos/audio.nix"
    return _original(self, old_file, literal)
paths.Rewriter.new_text = _wrong
"""


def _sabotage(monkeypatch):
    import migrate.plan.paths as paths

    original = paths.Rewriter.new_text
    calls = []

    def wrong(self, old_file, literal):
        if old_file == "nixos/configuration.nix" and literal.text == "./boot.nix":
            calls.append(literal.text)
            return "../../modules/nixos/audio.nix"
        return original(self, old_file, literal)

    monkeypatch.setattr(paths.Rewriter, "new_text", wrong)
    return calls


def test_verification_failure_stops_the_run(monkeypatch, tmp_path):
    from migrate.run import run
    from migrate.verify import VerificationError

    calls = _sabotage(monkeypatch)
    out = tmp_path / "out"
    with pytest.raises(VerificationError) as caught:
        run(str(SAMPLES / "ian-style"), dry_run=False, as_json=False, out_dir=str(out), branch="hm-nixos-module",
            force=False, allow_dirty=False, attach={}, no_color=True)
    assert calls, "the sabotage never ran, so this test proves nothing"
    lost = [d for d in caught.value.differences if d.startswith("host kestrel: modules:")]
    assert lost and "lost modules/nixos/boot.nix" in lost[0], caught.value.differences
    assert str(caught.value).startswith("verification failed")
    assert "lost modules/nixos/boot.nix" in str(caught.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [], "staging directory left behind"


def test_a_layout_that_fails_verification_falls_back_to_keeping_every_file(monkeypatch, tmp_path):
    # The wrong rewrite happens only where files move: the wiring alone is sound, so the
    # run keeps every file in place instead of stopping, and says why.
    import migrate.plan.paths as paths
    from migrate.run import run

    original = paths.Rewriter.new_text
    calls = []

    def wrong_when_moving(self, old_file, literal):
        if self.map.moves and old_file == "nixos/configuration.nix" and literal.text == "./boot.nix":
            calls.append(literal.text)
            return "../../modules/nixos/audio.nix"
        return original(self, old_file, literal)

    monkeypatch.setattr(paths.Rewriter, "new_text", wrong_when_moving)
    out = tmp_path / "out"
    run(str(SAMPLES / "ian-style"), dry_run=False, as_json=False, out_dir=str(out), branch="hm-nixos-module",
        force=False, allow_dirty=False, attach={}, no_color=True)
    assert calls, "the sabotage never ran, so this test proves nothing"
    assert (out / "nixos" / "boot.nix").is_file() and not (out / "hosts").exists()
    notes = (out / "MIGRATION.md").read_text()
    assert "every file stays where it is (layout keep): the full layout failed verification: host kestrel" in notes
    assert "nixosModules.home-manager" in (out / "flake.nix").read_text()


def test_a_natural_form_that_fails_verification_falls_back_to_the_wrapper(monkeypatch, tmp_path):
    # A wrong setting written where the host is defined: the run wraps the hosts as they
    # were built instead of stopping (the layout stays: it was not the cause), and says why.
    import migrate.plan.mk_host as mk_host
    from migrate.run import run

    original = mk_host._helper_text
    calls = []

    def wrong_extension(*args):
        calls.append(args[0])
        return original(*args).replace('backupFileExtension = "hm-backup";', 'backupFileExtension = "old";')

    monkeypatch.setattr(mk_host, "_helper_text", wrong_extension)
    out = tmp_path / "out"
    run(str(SAMPLES / "ian-multihost"), dry_run=False, as_json=False, out_dir=str(out), branch="hm-nixos-module",
        force=False, allow_dirty=False, attach={}, no_color=True)
    assert calls, "the sabotage never ran, so this test proves nothing"
    flake = (out / "flake.nix").read_text()
    assert "nimbus = withHomeManager (nixpkgs.lib.nixosSystem {" in flake and "mkHost" not in flake
    assert (out / "hosts" / "nimbus" / "default.nix").is_file()  # the layout was kept
    notes = (out / "MIGRATION.md").read_text()
    assert ("the hosts' Home Manager written in their own definitions failed verification (host cirrus: "
            "home-manager.backupFileExtension is 'old', expected 'hm-backup'") in notes


def test_verification_failure_on_the_command_line(tmp_path):
    out = tmp_path / "out"
    code = _SABOTAGE + "from migrate.cli import main\nmain()\n"
    result = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLES / "ian-style"), "--out", str(out), "--no-color"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    first, *rest = result.stderr.rstrip("\n").splitlines()
    assert first.startswith("migrate: verification failed"), result.stderr
    # The headline, then one indented line per difference.
    assert rest and all(line.startswith("  ") for line in rest), result.stderr
    assert any("lost modules/nixos/boot.nix" in line for line in rest), result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


# -- dry run --------------------------------------------------------------------------------


def test_dry_run_json_document(dry_run):
    sample, result, *_, variant = dry_run
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["status"] == "planned"

    golden = tree_state(EXPECTED / sample / variant)
    source = SAMPLES / sample
    originals = {p.relative_to(source).as_posix() for p in source.rglob("*") if not p.is_dir()}
    moves = document["plan"]
    if variant == "migrated-channels-keep":
        # No file moves; the entry modules change, and the commands to run come with it.
        assert moves == [] and originals <= set(golden), sample
        assert document["next_steps"][-1].startswith("sudo nixos-rebuild switch"), document.get("next_steps")
        assert not [line for line in document["diff"].splitlines() if line.startswith("rename ")]
    else:
        assert moves or sample in HOST_FLAKE, f"{sample}: nothing planned"  # a flake in a folder is edited in place
        assert "next_steps" not in document
    for move in moves:
        assert set(move) == {"old", "new", "reason"}, move
        assert move["reason"], move
        assert move["old"] in originals, move
        assert move["new"] in golden and golden[move["new"]][0] == "file", move
    olds = [m["old"] for m in moves]
    news = [m["new"] for m in moves]
    assert len(set(olds)) == len(olds) and len(set(news)) == len(news)
    # Every original that is not at its old place in the migrated tree must be in the plan.
    gone = {p for p in originals if p not in golden}
    assert gone <= set(olds), f"{sample}: moved but not in the plan: {sorted(gone - set(olds))}"

    for move in moves:
        assert f"rename from {move['old']}\nrename to {move['new']}\n" in document["diff"], move

    assert document["rules"], f"{sample}: no rule applies"
    for finding in document["rules"]:
        assert {"id", "file", "line", "message"} <= set(finding), finding
        assert re.fullmatch(r"HM\d{3}", finding["id"]), finding
        assert finding["message"], finding
        assert not (finding.get("data") or {}).get("internal_error"), finding
        if finding["file"] is not None:
            assert finding["file"] in originals, finding
            lines = (source / finding["file"]).read_text().count("\n") + 1
            assert finding["line"] is None or 1 <= finding["line"] <= lines, finding


def test_dry_run_writes_nothing(dry_run):
    sample, result, before, after, cwd, _variant = dry_run
    assert result.returncode == 0, result.stderr
    assert after == before, f"{sample}: the sample directory changed"
    assert list(cwd.iterdir()) == [], "files appeared in the working directory"


# The extension `home-manager switch -b` already used stays the one files are moved to
# (wimpy-style's justfile runs `home-manager switch -b backup`); otherwise hm-backup.
BACKUP_EXTENSIONS = {"wimpy-style": "backup", "ian-style": "hm-backup", "ian-multihost": "hm-backup",
                     "channels-style": "hm-backup", "half-migrated": "hm-backup", "host-user-keys": "hm-backup",
                     "user-on-hosts": "hm-backup",
                     "channels-multihost": "bak",  # scripts/rebuild.sh: home-manager switch -b bak
                     "flakes-in-folders": "hm-backup",
                     "rough-edges": "bak",  # justfile: home-manager switch -b bak
                     "flake-parts-style": "hm-backup", "helpers-style": "hm-backup", "unfree-overlay": "hm-backup"}
HOST_FLAKE = {"flakes-in-folders": "nixos/flake.nix"}  # edited in place; no flake.nix at the top


def test_backup_extension_follows_the_one_in_use(planned):
    sample, _snapshot, plan = planned
    expected = BACKUP_EXTENSIONS[sample]
    # Where the hosts get Home Manager: flake.nix (a folder's flake), the repository's helper in
    # lib/; with --channels keep, each host's entry module.
    if plan.keeps_channels:
        holders = sorted(plan.changed)
        assert holders and len(holders) >= len(plan.wirings)
    else:
        holders = [path for path in sorted(plan.changed) if "backupFileExtension" in plan.tree[path].decode()]
        assert holders and (HOST_FLAKE.get(sample, "flake.nix") in holders or any(
            w.form.endswith("the repository's helper") for w in plan.wirings))
    for path in holders:
        assert f'backupFileExtension = "{expected}";' in plan.tree[path].decode(), path
        assert len(re.findall(r"backupFileExtension = ", plan.tree[path].decode())) == \
            plan.tree[path].decode().count(f'backupFileExtension = "{expected}";'), path
    assert plan.backup_extension == expected
    variant = "migrated-channels-keep" if plan.keeps_channels else "migrated"
    notes = (EXPECTED / sample / variant / "MIGRATION.md").read_text()  # the written tree equals it
    assert f"renamed to `*.{expected}`" in notes


def _edited_literals(old: bytes, new: bytes, literals) -> int:
    """How many LITERALS of OLD do not survive byte for byte in NEW (difflib alignment)."""
    import difflib
    blocks = difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks()
    return sum(1 for lit in literals if not any(a <= lit.start and lit.end <= a + size for a, _b, size in blocks))


def test_hm009_counts_what_the_plan_rewrote(planned):
    # Independent count: a rewrite changes a literal's text, never the number or order of
    # the file's path literals, so pairing old and new literals in order finds the rewrites.
    from migrate.nix.parse import parse_bytes
    from migrate.nix.query import path_literals
    from migrate.rules import check_all, with_plan
    from migrate.analyze.analysis import analyze

    sample, snapshot, plan = planned
    renamed = {m.old: m.new for m in plan.moves}
    findings = with_plan([f for f in check_all(analyze(snapshot)) if f.rule_id == "HM009"], plan)
    assert findings
    for finding in findings:
        old = finding.file
        if not plan.moves:  # flakes-in-folders: nothing moves, so no literal needs rewriting
            assert finding.data["rewritten"] == 0, (sample, old, finding.message)
            continue
        new_data = plan.tree[renamed.get(old, old)]
        relative = lambda data: [p for p in path_literals(parse_bytes(data, old))  # noqa: E731
                                 if p.kind in ("relative", "concat")]  # channels lose their <x> lookups
        if old == "flake.nix" and plan.migrating:
            # Not in flake.nix: the entries of migrated homes leave it and each host's wiring
            # lists its users' modules anew (a home on two hosts twice, homes a function made
            # once per host), so literals come and go. The golden trees and the evaluation of
            # every migrated sample (test_migrated_eval.py) check the flake's paths.
            continue
        before, after = relative(snapshot.read_bytes(old)), relative(new_data)
        if plan.keeps_channels and len(after) > len(before):
            # The entry module gained `users.<name> = import ./home.nix;`, after its own paths.
            added = {module.removeprefix("import ") for w in plan.wirings for ms in w.users.values() for module in ms}
            assert {p.text for p in after[len(before):]} <= added, old
            after = after[:len(before)]
        removed = plan.removed_ranges.get(old, [])
        if removed or len(after) != len(before):
            # Entries that became comments took their paths along, and host wiring written
            # into the file brings new ones: the old literals still there are found in the
            # new bytes by alignment; one whose bytes are not kept as they were was rewritten.
            kept = [p for p in before if not any(s <= p.start and p.end <= e for s, e in removed)]
            assert finding.data.get("removed", 0) == len(before) - len(kept), (sample, old)
            changed = _edited_literals(snapshot.read_bytes(old), new_data, kept)
            assert len(after) >= len(kept), old
        else:
            assert len(before) == len(after), old
            changed = sum(1 for a, b in zip(before, after) if a.text != b.text)
        assert finding.data["rewritten"] == changed, (sample, old, finding.message)
        assert "ranges" not in finding.data
        if "checked:" in finding.message:  # restated: the kinds of paths are still told
            for key, label in (("interpolated", "interpolated"), ("in_string", "in strings"), ("assets", "to assets")):
                count = finding.data.get(key, 0)
                assert (f"{count} {label}" in finding.message) == bool(count), finding.message
