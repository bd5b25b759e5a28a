"""Parse-and-index speed against bare rnix parsing.

    python bench/parse.py [DIR]

Parses every ``.nix`` file under DIR twice: with ``pynix_parser.parse`` alone,
and with ``parse_bytes`` plus ``index_file`` (formals, top-level bindings,
imports elements, path literals: what the import-graph analysis reads from
every file; the index computes them on first access, so the benchmark reads
each of them).  Each side's best of ROUNDS interleaved rounds counts.  Without DIR, a synthetic corpus of module-like files is
generated in a temporary directory.  The goal is ours/bare <= 1.5.
"""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
from pathlib import Path

import pynix_parser

from migrate.nix.parse import parse_bytes
from migrate.nix.query import index_file

ROUNDS = 9


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        return run(Path(argv[1]))
    with tempfile.TemporaryDirectory(prefix="hm-migrate-bench-") as tmp:
        count = write_synthetic_corpus(Path(tmp), files=400, seed=7)
        print(f"synthetic corpus: {count} files in {tmp}")
        return run(Path(tmp))


def run(directory: Path) -> int:
    files = [(str(path), path.read_bytes()) for path in sorted(directory.rglob("*.nix"))]
    if not files:
        print(f"no .nix files under {directory}")
        return 1
    total_bytes = sum(len(data) for _, data in files)
    texts = [data.decode("utf-8") for _, data in files]

    def bare() -> None:
        for text in texts:
            pynix_parser.parse(text)

    def ours() -> None:
        for path, data in files:
            touch(index_file(parse_bytes(data, path)))

    bare_seconds, ours_seconds = best_of(bare, ours)
    megabytes = total_bytes / 1e6
    print(f"files: {len(files)}  bytes: {total_bytes}  (best of {ROUNDS}, gc off while timed)")
    for label, seconds in (("bare pynix_parser.parse", bare_seconds), ("parse + index", ours_seconds)):
        print(f"{label:>24}: {seconds * 1000:8.1f} ms  {len(files) / seconds:9.0f} files/s  "
              f"{megabytes / seconds:6.2f} MB/s")
    print(f"ratio ours/bare: {ours_seconds / bare_seconds:.2f}")
    return 0


def touch(index) -> None:
    """Read what the import-graph analysis reads from a typical module.

    The index computes its parts on first access, so everything the analysis
    uses is read here to be paid for: the formals' names, the top-level
    bindings' paths and value nodes, every imports element (its node's range
    and guards) and every path literal.
    """
    formals = index.formals
    if formals is not None:
        formals.names, formals.has_ellipsis, formals.at_name
    for binding in index.bindings:
        binding.path, binding.value
    for element in index.imports:
        element.node.text_range(), element.conditions
    for literal in index.paths:
        literal.kind, literal.start, literal.text


def best_of(*actions) -> list[float]:
    """The best time of each action over ROUNDS rounds, the actions interleaved
    in the same order every round, with the collector run before and off while timed."""
    best = [float("inf")] * len(actions)
    for _ in range(ROUNDS):
        for number, action in enumerate(actions):
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                action()
                elapsed = time.perf_counter() - start
            finally:
                gc.enable()
            best[number] = min(best[number], elapsed)
    return best


# --------------------------------------------------------------------------
# Synthetic corpus: NixOS and Home Manager modules in the idioms real repos use.

_PACKAGES = ["git", "vim", "ripgrep", "fd", "bat", "eza", "htop", "jq", "curl", "wget", "tmux",
             "firefox", "alacritty", "neovim", "nodejs", "python3", "gcc", "gnumake", "unzip"]
_PROGRAMS = ["git", "bash", "zsh", "fish", "starship", "direnv", "fzf", "tmux", "neovim", "kitty"]
_SERVICES = ["openssh", "tailscale", "printing", "pipewire", "syncthing", "fwupd", "avahi"]


def _module(rng: random.Random, index: int) -> str:
    parts = ["# Generated benchmark module %d.\n" % index]
    args = ["config", "lib", "pkgs"] + rng.sample(["inputs", "hostname", "username", "vars", "desktop"], 2)
    parts.append("{ %s, ... }:\n" % ", ".join(args))
    parts.append("let\n  cfg = config.custom.mod%d;\n  user = \"me\";\nin\n{\n" % index)
    imports = ["./%s.nix" % rng.choice(["audio", "fonts", "boot", "git", "sh", "packages"]) for _ in range(rng.randint(0, 4))]
    if imports or rng.random() < 0.5:
        parts.append("  imports = [\n%s  ]" % "".join("    %s\n" % i for i in imports))
        if rng.random() < 0.5:
            parts.append(" ++ lib.optional (desktop != null) ./_mixins/desktop/${desktop}")
        if rng.random() < 0.3:
            parts.append(' ++ lib.optional (builtins.pathExists (./. + "/users/${username}")) ./users/${username}')
        parts.append(";\n\n")
    for _ in range(rng.randint(1, 3)):
        program = rng.choice(_PROGRAMS)
        parts.append("  # Settings for %s.\n  programs.%s = {\n    enable = true;\n" % (program, program))
        for key in range(rng.randint(1, 6)):
            parts.append("    setting%d = %s;\n" % (key, rng.choice(
                ['"value-%d"' % key, "true", str(key), 'lib.mkDefault "x"', "cfg.enable",
                 '"${pkgs.coreutils}/bin/ls"', "./files/%s.conf" % program])))
        parts.append("    extraConfig = ''\n      # comment inside a string\n      set -g mouse on\n    '';\n  };\n\n")
    parts.append("  home.packages = with pkgs; [\n%s  ];\n\n" % "".join(
        "    %s\n" % p for p in rng.sample(_PACKAGES, rng.randint(2, 10))))
    if rng.random() < 0.5:
        service = rng.choice(_SERVICES)
        parts.append("  services.%s = lib.mkIf cfg.enable {\n    enable = true;\n    settings = {\n"
                     "      port = %d;\n      openFirewall = false;\n    };\n  };\n\n" % (service, rng.randint(1, 9000)))
    if rng.random() < 0.4:
        parts.append('  xdg.configFile."app%d/config".source = ./config/app%d;\n' % (index, index))
        parts.append('  home.file.".local/bin/tool".text = builtins.readFile ./scripts/tool.sh;\n')
    if rng.random() < 0.2:
        parts.append("  fileSystems.\"/\" = {\n    device = \"/dev/disk/by-uuid/0000-%04d\";\n    fsType = \"ext4\";\n  };\n" % index)
    parts.append('  home.stateVersion = "24.05";\n}\n')
    return "".join(parts)


def write_synthetic_corpus(directory: Path, files: int, seed: int) -> int:
    rng = random.Random(seed)
    for index in range(files):
        folder = directory / rng.choice(["nixos", "home-manager", "nixos/_mixins", "home-manager/_mixins"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"module{index}.nix").write_text(_module(rng, index), encoding="utf-8")
    return files


if __name__ == "__main__":
    sys.exit(main(sys.argv))
