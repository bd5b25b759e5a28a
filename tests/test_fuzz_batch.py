"""A small batch of `bench/fuzz.py` in every test run, so that CI keeps guarding what
the fuzzer found: each case migrates or refuses with one clear message, leaves the
repository as it was, writes nothing outside `--out`, shows nothing of the canary
files beside the repository and finishes within 30 s.

The seed is fixed so that a failure reproduces (`python bench/fuzz.py --case SEED:I`,
printed with it); HM_MIGRATE_FUZZ_SEED picks another batch.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from fuzz import run_batch  # noqa: E402

CASES = 50
SEED = int(os.environ.get("HM_MIGRATE_FUZZ_SEED", "20240601"))


def test_fuzz_batch(tmp_path):
    # Parsed trees left in reference cycles by earlier tests must be freed on this thread:
    # rnix nodes may not be dropped on the batch's worker threads.
    gc.collect()
    figures = run_batch(CASES, SEED, jobs=2, workdir=tmp_path)
    details = "\n\n".join(outcome.describe() for outcome in figures.bad)
    assert figures.ok, f"{figures.report()}\n\n{details}"
    assert figures.runs == CASES
    # A batch where everything is refused (or everything migrates) would prove little.
    assert figures.migrated and figures.refused, figures.report()
