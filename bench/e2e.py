"""End-to-end speed of `migrate REPO --dry-run` on synthetic Wimpy-style repositories.

    python bench/e2e.py                 (50, 500, 2,500 and 5,000 modules)
    python bench/e2e.py 500 1000        (other sizes)
    python bench/e2e.py --repeat 3      (best of 3 runs per size; default 1 at 2,500+)

For each size, `bench/synthetic.py` writes a repository (12 hosts at most, their
users, assets beside the modules, conditional imports), then:

- `migrate REPO --dry-run` runs as a real process (stdout to /dev/null): its wall
  time and peak resident memory (the child's own `ru_maxrss` via `os.wait4`);
- a fresh Python process times bare `pynix_parser.parse` over the same `.nix` files;
- the table shows the ratio of the two times;
- `git s`: the same dry run once the directory is committed to git and packed, the
  way users run it (HEAD is then read through git instead of file by file);
- `commit s`: `migrate REPO` on that repository, which also writes the new files
  into git and creates a branch (a new branch name each run).

Before timing, every new file is written back to disk and read once (`settle`), as
the files of a repository in use have been.

Peak memory is the largest single process of the run: the report is prepared in a
forked child that shares most of its pages with the parent.

It also prints the start-up time of `migrate --help` and, when both 2,500 and
5,000 are measured, the growth time(5,000)/time(2,500): 2.0 is linear.

Goals (issue 7): 500 modules under 1 s and 200 MB; 5,000 under 6 s with a ratio
to bare parsing under 3; growth close to 2; `--help` under 0.3 s.

Every dry run must exit 0: a failing run stops the benchmark instead of being timed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import generate_wimpy_repo  # noqa: E402

MAX_HOSTS = 12
DEFAULT_SIZES = [50, 500, 2500, 5000]

_BARE_PARSE = """
import sys, time
from pathlib import Path
import pynix_parser
texts = [p.read_text() for p in sorted(Path(sys.argv[1]).rglob("*.nix"))]
best = None
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    for text in texts:
        pynix_parser.parse(text)
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print(best)
"""


def migrate_command() -> list[str]:
    script = Path(sys.executable).with_name("migrate")
    return [str(script)] if script.exists() else [sys.executable, "-m", "migrate"]


def timed_run(command: list[str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of one child process that must exit 0."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} exited {code}:\n{stderr}")
    return wall, usage.ru_maxrss // 1024


def bare_parse_seconds(repo: Path, repeat: int) -> float:
    result = subprocess.run([sys.executable, "-c", _BARE_PARSE, str(repo), str(repeat)],
                            capture_output=True, text=True, check=True)
    return float(result.stdout)


def measure(size: int, repeat: int, workdir: Path) -> dict:
    repo = workdir / f"repo-{size}"
    stats = generate_wimpy_repo(repo, modules=size, seed=0, max_hosts=MAX_HOSTS)
    settle(repo)
    runs = [timed_run(migrate_command() + [str(repo), "--dry-run"]) for _ in range(repeat)]
    wall = min(r[0] for r in runs)
    memory = max(r[1] for r in runs)
    parse = bare_parse_seconds(repo, max(3, repeat))
    files = sum(1 for _ in repo.rglob("*") if _.is_file())
    commit_all(repo)
    settle(repo / ".git")
    git_wall = min(timed_run(migrate_command() + [str(repo), "--dry-run"])[0] for _ in range(repeat))
    commit_wall = min(timed_run(migrate_command() + [str(repo), "--branch", f"bench-{i}"])[0] for i in range(repeat))
    shutil.rmtree(repo)
    return {"modules": size, "files": files, "hosts": len(stats["hosts"]), "homes": len(stats["homes"]),
            "mb": stats["nix_bytes"] / 1e6, "wall": wall, "rss": memory, "parse": parse, "ratio": wall / parse,
            "git": git_wall, "commit": commit_wall}


def commit_all(repo: Path) -> None:
    """The repository as users have it: committed and packed (as a clone is), so that
    HEAD is read through git from one pack rather than from 20,000 fresh loose objects."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "synthetic"],
                    ["repack", "-adq"], ["prune"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def settle(tree: Path) -> None:
    """Leave freshly written files as a user's files are: written back to disk and read
    once. Otherwise the run is timed with the kernel's write-back and, on a `relatime`
    mount, with one access-time update per file on its first read (on this machine
    0.8 s for 20,000 files), which no repository that has been used before costs."""
    os.sync()
    for path in tree.rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.read_bytes()
    os.sync()


def help_seconds(repeat: int = 5) -> float:
    return min(timed_run(migrate_command() + ["--help"])[0] for _ in range(repeat))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=DEFAULT_SIZES)
    parser.add_argument("--repeat", type=int, default=None, help="runs per size (best counts)")
    args = parser.parse_args(argv)

    print(f"migrate --help: {help_seconds():.3f} s (goal < 0.3 s)")
    header = f"{'modules':>8} {'files':>7} {'hosts':>5} {'homes':>5} {'nix MB':>7} {'dry-run s':>10} " \
             f"{'peak MB':>8} {'parse s':>8} {'ratio':>6} {'git s':>6} {'commit s':>8}"
    print(header)
    results = {}
    with tempfile.TemporaryDirectory(prefix="hm-migrate-e2e-") as tmp:
        for size in args.sizes:
            repeat = args.repeat if args.repeat is not None else (3 if size < 2500 else 1)
            row = measure(size, repeat, Path(tmp))
            results[size] = row
            print(f"{row['modules']:>8} {row['files']:>7} {row['hosts']:>5} {row['homes']:>5} {row['mb']:>7.2f} "
                  f"{row['wall']:>10.2f} {row['rss']:>8} {row['parse']:>8.2f} {row['ratio']:>6.1f} "
                  f"{row['git']:>6.2f} {row['commit']:>8.2f}", flush=True)
    if 2500 in results and 5000 in results:
        print(f"growth 2,500 -> 5,000 modules: x{results[5000]['wall'] / results[2500]['wall']:.2f} (2.0 is linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
