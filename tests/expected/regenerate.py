"""Regenerate the golden migrated trees, tests/expected/<sample>/<variant>/.

    python tests/expected/regenerate.py                 # every sample that already has one
    python tests/expected/regenerate.py channels-style  # these samples only (creates new ones)

Each variant is one way to run the CLI (VARIANTS: `migrated` is the default layout,
`migrated-keep` is `--layout keep`, `migrated-channels-keep` is `--channels keep`, for
the samples without a flake). Runs it exactly as tests/test_plan.py does (`migrate
sample-configs/<s> --out DIR --no-color [options]`) and replaces the golden tree with
what it wrote.  The test never calls this: a changed golden tree must be a reviewed
`git diff`, not a side effect.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SAMPLES = ROOT / "sample-configs"
# Golden folder name -> the options of the run it records.
VARIANTS = {
    "migrated": (),
    "migrated-keep": ("--layout", "keep"),
    "migrated-channels-keep": ("--channels", "keep"),
}
# Variants for some samples only; every other variant is made for every sample.
APPLIES_TO = {
    "migrated-channels-keep": lambda sample: not any((SAMPLES / sample).rglob("flake.nix")),  # channels setups
}


def variants_of(sample: str) -> list[str]:
    return [variant for variant in VARIANTS if APPLIES_TO.get(variant, lambda _sample: True)(sample)]


def plan_options(variant: str) -> dict[str, str]:
    """The variant's options as make_plan keywords (`--channels keep` -> channels="keep")."""
    options = VARIANTS[variant]
    return {name.removeprefix("--"): value for name, value in zip(options[::2], options[1::2])}


def migrate_to(sample: str, out: Path, options=()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "migrate", str(SAMPLES / sample), "--out", str(out), "--no-color", *options],
        capture_output=True, text=True, cwd=ROOT,
    )


def regenerate(sample: str) -> None:
    for variant in variants_of(sample):
        regenerate_variant(sample, variant)


def regenerate_variant(sample: str, variant: str) -> None:
    if not (SAMPLES / sample).is_dir():
        raise SystemExit(f"regenerate: no sample {sample!r} under {SAMPLES}")
    with tempfile.TemporaryDirectory(prefix="hm-migrate-golden-") as tmp:
        out = Path(tmp) / "migrated"
        result = migrate_to(sample, out, VARIANTS[variant])
        if result.returncode != 0 or not out.is_dir():
            raise SystemExit(f"regenerate: migrate {sample} {' '.join(VARIANTS[variant])} failed "
                             f"(exit {result.returncode}):\n{result.stderr}")
        golden = HERE / sample / variant
        if golden.exists():
            shutil.rmtree(golden)
        golden.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(out, golden, symlinks=True)  # copy2 keeps the executable bits
    print(f"{golden.relative_to(ROOT)}: regenerated")


def main(argv: list[str]) -> None:
    samples = argv or sorted(p.parent.name for p in HERE.glob("*/migrated") if p.is_dir())
    if not samples:
        raise SystemExit("regenerate: no golden trees yet; name the samples to create")
    for sample in samples:
        regenerate(sample)
    print("review with `git diff --stat tests/expected` and `git status tests/expected` before committing")


if __name__ == "__main__":
    main(sys.argv[1:])
