"""Layout on generated Wimpy-style repositories of several sizes and seeds.

The samples fix one shape each; the generator varies which hosts have which users
and desktops, which is where the choice of each host's entry file went wrong
(a user folder used by one host only sorted before the host's own folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import generate_wimpy_repo  # noqa: E402


@pytest.mark.parametrize("modules,seed", [(50, 0), (50, 1), (80, 2), (150, 3)])
def test_each_host_folder_becomes_its_hosts_folder(tmp_path, modules, seed):
    from migrate.analyze.analysis import analyze
    from migrate.plan import make_plan
    from migrate.rules import check_all
    from migrate.snapshot import from_directory

    stats = generate_wimpy_repo(tmp_path, modules=modules, seed=seed)
    snapshot = from_directory(tmp_path)
    analysis = analyze(snapshot)
    plan = make_plan(analysis, snapshot, check_all(analysis))
    moved = {move.old: move.new for move in plan.moves}
    for host in stats["hosts"]:
        own = [p for p in snapshot.paths() if p.startswith(f"nixos/{host}/")]
        assert own, f"the generator gave {host} no folder"
        for path in own:
            assert moved.get(path) == f"hosts/{host}/{path[len(f'nixos/{host}/'):]}", path
    for user in stats["users"]:
        for path in snapshot.paths():
            if path.startswith(f"nixos/_mixins/users/{user}/"):
                assert moved[path] == "modules/nixos/" + path[len("nixos/"):]
