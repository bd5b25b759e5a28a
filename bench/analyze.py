"""Analysis speed on synthetic Wimpy-style repositories.

    python bench/analyze.py [N ...]          (default: 50 500 5000)
    python bench/analyze.py --profile 500    (cProfile of one analysis, top functions)

For each N, `bench/synthetic.py` writes a repository with N `.nix` modules in a
temporary directory; then a fresh Python process (so imports and caches do not
carry over) times `analyze(from_directory(repo))` (snapshot building included,
repository generation excluded), reports its peak RSS (`ru_maxrss`), and times
bare `pynix_parser.parse` over the same files. A second fresh process measures
the tracemalloc peak of the same analysis (tracemalloc slows Python down, so it
is kept out of the timed run). The largest N is also measured at N/2 to print the
growth ratio time(N)/time(N/2): 2.0 is linear. Hosts grow with N (N // 100), so the
number of (root, file) pairs the graph holds grows faster than N; the table shows
it and the time per pair.

Every run is checked: each module must be reached by some root or be read by the
flake itself, except the files the generator deliberately orphans, and every
host and Home Manager configuration must be found. A broken analysis fails the
bench instead of being timed.

Goal (issue): 500 modules in under 1 s, growth close to linear.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from synthetic import generate_wimpy_repo  # noqa: E402

DEFAULT_SIZES = (50, 500, 5000)
GOAL_N, GOAL_SECONDS = 500, 1.0


# -- the measuring child process ------------------------------------------------------------


def child(repo: str, expected_path: str, mode: str) -> None:
    """Runs in a fresh interpreter; prints one JSON line."""
    import resource
    import time

    if mode == "tracemalloc":
        import tracemalloc

    from migrate.analyze.analysis import analyze
    from migrate.snapshot import from_directory

    expected = json.loads(Path(expected_path).read_text())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if mode == "tracemalloc":
        tracemalloc.start()
    start = time.perf_counter()
    analysis = analyze(from_directory(Path(repo)))
    seconds = time.perf_counter() - start
    result: dict = {"seconds": seconds}
    if mode == "tracemalloc":
        result["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(json.dumps(result))
        return
    result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["maxrss_before_kb"] = rss_before
    result["check"] = check(analysis, expected)
    # (root, file) pairs: the graph's own size; it grows faster than N because hosts do.
    result["pairs"] = sum(len(r.files) for r in list(analysis.hosts.values()) + list(analysis.homes.values()))

    import pynix_parser

    texts = [(Path(repo) / p).read_text(encoding="utf-8") for p in sorted(analysis.files)]
    result["files"] = len(texts)
    result["bytes"] = sum(len(t.encode("utf-8")) for t in texts)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            pynix_parser.parse(text)
        best = min(best, time.perf_counter() - start)
    result["parse_seconds"] = best
    print(json.dumps(result))


def check(analysis, expected: dict) -> dict:
    """Counts by role; raises if the analysis does not match what the generator wrote."""
    problems = []
    roles: dict[str, int] = {}
    for info in analysis.files.values():
        role = info.role.split(":")[0]
        roles[role] = roles.get(role, 0) + 1
    orphans = sorted(p for p, info in analysis.files.items() if info.role == "orphan")
    if orphans != expected["orphans"]:
        unexpected = sorted(set(orphans) - set(expected["orphans"]))
        missed = sorted(set(expected["orphans"]) - set(orphans))
        problems.append(f"orphans differ: unexpected {unexpected[:5]} ({len(unexpected)}), "
                        f"not orphaned {missed[:5]} ({len(missed)})")
    if len(analysis.files) != expected["modules"]:
        problems.append(f"{len(analysis.files)} files classified, {expected['modules']} written")
    if sorted(analysis.hosts) != sorted(expected["hosts"]):
        problems.append(f"hosts {sorted(analysis.hosts)} != {sorted(expected['hosts'])}")
    if sorted(analysis.homes) != sorted(expected["homes"]):
        problems.append(f"homes {sorted(analysis.homes)} != {sorted(expected['homes'])}")
    flake_level = sorted(p for p, info in analysis.files.items() if info.role == "other")
    if flake_level != expected["flake_level"]:
        problems.append(f"flake-level files {flake_level} != {expected['flake_level']}")
    for name, host in analysis.hosts.items():
        own = [p for p in expected_host_files(expected, name)]
        missing = [p for p in own if p not in host.files]
        if missing:
            problems.append(f"host {name} does not reach {missing}")
    if analysis.warnings:
        problems.append(f"{len(analysis.warnings)} warnings, first: {analysis.warnings[0]}")
    if problems:
        raise SystemExit("analysis of the synthetic repository is wrong:\n  " + "\n  ".join(problems))
    return {"roles": roles, "orphans": len(orphans), "warnings": len(analysis.warnings)}


def expected_host_files(expected: dict, host: str) -> list[str]:
    return [p for p in expected["nix_files"] if p.startswith(f"nixos/{host}/")]


# -- the driver -------------------------------------------------------------------------------


def run_child(repo: Path, expected: Path, mode: str) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(repo), str(expected), mode],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"measuring {repo} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(n: int, repeat: int, trace: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"hm-migrate-bench-{n}-") as tmp:
        repo = Path(tmp) / "repo"
        stats = generate_wimpy_repo(repo, n, seed=0)
        stats["nix_files"] = sorted(str(p.relative_to(repo)) for p in repo.rglob("*.nix"))
        expected = Path(tmp) / "expected.json"
        expected.write_text(json.dumps(stats))
        runs = [run_child(repo, expected, "time") for _ in range(repeat)]
        best = min(runs, key=lambda r: r["seconds"])
        best["seconds_all"] = [r["seconds"] for r in runs]
        best["maxrss_kb"] = max(r["maxrss_kb"] for r in runs)
        if trace:
            best["tracemalloc_peak"] = run_child(repo, expected, "tracemalloc")["tracemalloc_peak"]
        best["n"] = n
        best["hosts"] = len(stats["hosts"])
        best["homes"] = len(stats["homes"])
        best["assets"] = stats["assets"]
        return best


def profile(n: int, top: int) -> None:
    import cProfile
    import pstats

    from migrate.analyze.analysis import analyze
    from migrate.snapshot import from_directory

    with tempfile.TemporaryDirectory(prefix=f"hm-migrate-prof-{n}-") as tmp:
        generate_wimpy_repo(Path(tmp), n, seed=0)
        profiler = cProfile.Profile()
        profiler.enable()
        analyze(from_directory(Path(tmp)))
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2], argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per N; the fastest counts")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the (slower) tracemalloc run")
    parser.add_argument("--profile", action="store_true", help="cProfile one analysis per N instead")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    if args.profile:
        for n in args.sizes:
            profile(n, args.top)
        return 0

    sizes = sorted(set(args.sizes))
    largest = sizes[-1]
    half = largest // 2
    plan = sorted(set(sizes) | {half})
    results = {}
    for n in list(plan):
        try:
            results[n] = measure(n, args.repeat, not args.no_tracemalloc)
        except ValueError as too_small:  # the generator needs some modules per host and home
            if n != half or half in args.sizes:
                raise
            print(f"  N/2={half} not measured ({too_small}): no growth figure", file=sys.stderr)
            plan.remove(n)
            continue
        r = results[n]
        print(f"  measured N={n}: {r['seconds']:.3f} s  (runs: {', '.join(f'{s:.3f}' for s in r['seconds_all'])})",
              file=sys.stderr)

    header = (f"{'N':>6} {'hosts':>5} {'homes':>5} {'files':>6} {'MB':>6} {'analyze s':>9} {'ms/file':>7} "
              f"{'parse s':>8} {'x parse':>7} {'pairs':>7} {'us/pair':>7} {'maxrss MB':>9} {'tracemalloc MB':>14}  roles")
    print(header)
    print("-" * len(header))
    for n in plan:
        r = results[n]
        roles = " ".join(f"{k}={v}" for k, v in sorted(r["check"]["roles"].items()))
        trace = f"{r['tracemalloc_peak'] / 1e6:14.1f}" if "tracemalloc_peak" in r else f"{'-':>14}"
        print(f"{n:>6} {r['hosts']:>5} {r['homes']:>5} {r['files']:>6} {r['bytes'] / 1e6:6.2f} "
              f"{r['seconds']:9.3f} {r['seconds'] / r['files'] * 1000:7.2f} {r['parse_seconds']:8.3f} "
              f"{r['seconds'] / r['parse_seconds']:7.1f} {r['pairs']:>7} {r['seconds'] / r['pairs'] * 1e6:7.1f} "
              f"{r['maxrss_kb'] / 1024:9.1f} {trace}  {roles}")
    if half in results:
        ratio = results[largest]["seconds"] / results[half]["seconds"]
        pairs = results[largest]["pairs"] / results[half]["pairs"]
        print(f"growth time({largest})/time({half}) = {ratio:.2f}  (2.00 = linear); "
              f"(root, file) pairs grew {pairs:.2f}x, time per pair {ratio / pairs:.2f}x")
    if GOAL_N in results:
        seconds = results[GOAL_N]["seconds"]
        print(f"goal: {GOAL_N} modules in < {GOAL_SECONDS:.1f} s: {seconds:.3f} s "
              f"{'OK' if seconds < GOAL_SECONDS else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
