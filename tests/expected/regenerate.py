"""Regenerate the golden migrated trees, tests/expected/<sample>/migrated/.

    python tests/expected/regenerate.py                 # every golden tree there is
    python tests/expected/regenerate.py channels-style  # these only (creates new ones)
    python tests/expected/regenerate.py channels-style:channels-keep  # a tree made with options

Runs the CLI exactly as tests/test_plan.py does (`migrate sample-configs/<s> --out DIR
--no-color`, plus a variant's options) and replaces the golden tree with what it wrote.
A variant `<sample>:<variant>` (options in VARIANTS) has its tree in
tests/expected/<sample>/migrated-<variant>/. The test never calls this: a changed
golden tree must be a reviewed `git diff`, not a side effect.
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

# Options of the golden variants: "<sample>:<variant>" is migrated with these.
VARIANTS = {"channels-keep": ["--channels", "keep"]}


def sample_of(name: str) -> str:
    return name.partition(":")[0]


def options_of(name: str) -> list[str]:
    """The command-line options of golden NAME ("<sample>" or "<sample>:<variant>")."""
    variant = name.partition(":")[2]
    if variant and variant not in VARIANTS:
        raise SystemExit(f"regenerate: unknown variant {variant!r} (known: {', '.join(sorted(VARIANTS))})")
    return VARIANTS[variant] if variant else []


def golden_dir(name: str) -> Path:
    variant = name.partition(":")[2]
    return HERE / sample_of(name) / ("migrated" + (f"-{variant}" if variant else ""))


def golden_names() -> list[str]:
    """Every golden tree there is, as "<sample>" or "<sample>:<variant>"."""
    names = []
    for folder in HERE.glob("*/migrated*"):
        if folder.is_dir():
            variant = folder.name.removeprefix("migrated").removeprefix("-")
            names.append(folder.parent.name + (f":{variant}" if variant else ""))
    return sorted(names)


def migrate_to(name: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "migrate", str(SAMPLES / sample_of(name)), "--out", str(out), "--no-color",
         *options_of(name)],
        capture_output=True, text=True, cwd=ROOT,
    )


def regenerate(name: str) -> None:
    if not (SAMPLES / sample_of(name)).is_dir():
        raise SystemExit(f"regenerate: no sample {sample_of(name)!r} under {SAMPLES}")
    with tempfile.TemporaryDirectory(prefix="hm-migrate-golden-") as tmp:
        out = Path(tmp) / "migrated"
        result = migrate_to(name, out)
        if result.returncode != 0 or not out.is_dir():
            raise SystemExit(f"regenerate: migrate {name} failed (exit {result.returncode}):\n{result.stderr}")
        golden = golden_dir(name)
        if golden.exists():
            shutil.rmtree(golden)
        golden.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(out, golden, symlinks=True)  # copy2 keeps the executable bits
    print(f"{golden.relative_to(ROOT)}: regenerated")


def main(argv: list[str]) -> None:
    samples = argv or golden_names()
    if not samples:
        raise SystemExit("regenerate: no golden trees yet; name the samples to create")
    for sample in samples:
        regenerate(sample)
    print("review with `git diff --stat tests/expected` and `git status tests/expected` before committing")


if __name__ == "__main__":
    main(sys.argv[1:])
