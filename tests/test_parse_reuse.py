"""Verification analyses the planned tree reusing the trees of files whose bytes did
not change (NixFile.at); the answers must be the same as from a fresh parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.analyze.analysis import analyze
from migrate.nix.parse import parse_text
from migrate.nix.query import index_file
from migrate.plan import make_plan
from migrate.rules import check_all
from migrate.snapshot import from_directory, from_mapping

SAMPLES = Path(__file__).resolve().parent.parent / "sample-configs"


@pytest.mark.parametrize("sample", ["ian-style", "ian-multihost", "wimpy-style", "channels-style"])
def test_planned_tree_analysis_is_the_same_with_reused_trees(sample):
    snapshot = from_directory(SAMPLES / sample)
    original = analyze(snapshot)
    plan = make_plan(original, snapshot, check_all(original))
    planned = lambda: from_mapping(plan.tree, "<planned tree>", plan.modes)  # noqa: E731
    fresh = analyze(planned())
    parsed_before = {nix.data: nix for nix in original.evaluator.files.values()}
    reused = analyze(planned(), parsed_before=parsed_before)
    assert reused.to_json() == fresh.to_json()
    shared = [p for p, nix in reused.evaluator.files.items() if nix.root is parsed_before.get(nix.data, nix).root
              and parsed_before.get(nix.data) is not None]
    assert shared, "no file was reused: the test would not notice a broken reuse"
    for path in shared:
        assert reused.evaluator.files[path].path == path  # messages name the new place


def test_moved_file_keeps_answers_but_takes_the_new_path():
    nix = parse_text("{ imports = [ ./a.nix ]; x = ./b; }\n", "old/place.nix")
    first = index_file(nix)
    assert [p.text for p in first.paths] == ["./a.nix", "./b"]
    moved = nix.at("new/place.nix")
    index = index_file(moved)
    assert moved.path == "new/place.nix" and moved.root is nix.root
    assert index.file is moved
    assert [p.text for p in index.paths] == ["./a.nix", "./b"]
    assert [e.node.text() for e in index.imports] == ["./a.nix"]
    assert moved.where(index.paths[1].node) == "new/place.nix:1:30"


def test_a_large_module_is_read_binding_by_binding_once(monkeypatch):
    # The host platform, home.username and the stateVersion pin are single bindings of a
    # module; reading them must reuse the file's bindings, read from its bytes, rather than
    # walk every binding's nodes again (seconds for a generated 20 MB configuration.nix).
    from migrate.nix import query

    sample = from_directory(SAMPLES / "channels-style")
    files = {path: sample.read_bytes(path) for path in sample.paths()}
    generated = "".join(f'  environment.etc."generated/{n}".text = "line {n}";\n' for n in range(3000))
    text = files["configuration.nix"].decode()
    files["configuration.nix"] = (text[:text.rstrip().rindex("}")] + generated + "}\n").encode()
    snapshot = from_mapping(files, "<large>")
    walked = []
    attrpath_names = query.attrpath_names
    monkeypatch.setattr(query, "attrpath_names", lambda node: walked.append(node) or attrpath_names(node))
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis))
    assert plan.wirings, "the channels plan did not run: nothing read the stateVersion"
    assert len(walked) < 3000, f"{len(walked)} attribute paths walked node by node"
