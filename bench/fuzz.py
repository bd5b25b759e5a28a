"""Hostile and broken input: run `migrate` on mutated sample repositories.

    python bench/fuzz.py N SEED [--jobs 2]     N cases, seeded; prints the figures
    python bench/fuzz.py --case SEED:I [--keep] replay one case with every detail

Each case copies one of `sample-configs/*` into its own temporary directory,
applies one to three mutations (truncated files, syntax errors, bytes that are
not UTF-8 in files and in names, symlink loops, symlinks and path literals
leading out of the repository, absolute imports, missing imports, import
cycles, binary `.nix` files, a 20 MB `.nix` file, CRLF/CR/BOM, duplicate
attributes, an empty repository, 10,000 files, deep nesting, odd file names,
folders named `.nix`, very long paths), makes it a git repository (committed,
dirty, without commits, detached, locked by another git, with a branch of the
target name, or damaged) or leaves it a plain directory, and runs `migrate` in
one of its modes (`--dry-run`, `--dry-run --json`, `--out DIR`, commit on a new
branch) as a real process: from beside the repository, from inside it, or from
a git hook of another repository (GIT_DIR and friends set).

A run is good when it migrates (exit 0) or refuses with one clear message
(exit 1, a single `migrate: ...` line that says what is wrong in words rather
than in Python), and in both cases leaves the repository exactly as it was
(`tests/gitstate.py`; a successful commit run may add its branch and nothing
else), creates nothing outside its `--out` directory (the run gets its own
empty TMPDIR and HOME, checked afterwards), never shows the contents of the
canary files planted beside the repository (the targets of the "outside"
mutations), and finishes within 30 s. A migrated `--out` tree must keep every
symlink leading where it led, and `--json` must print one JSON document. The
figures that must be 0 make the exit status non-zero.

Case I of SEED depends only on SEED and I (its own `random.Random`), so any bad
case can be replayed with `--case SEED:I`, which is printed with it. The 20 MB
file and the 10,000-file tree are generated once per invocation and copied or
hard-linked into the cases that use them; mutations replace files rather than
writing into them, so a hard-linked file is never changed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLES = ROOT / "sample-configs"
sys.path.insert(0, str(ROOT / "tests"))

from gitstate import changed, repo_state, working_tree  # noqa: E402

SLOW = 30.0  # seconds; a run over this counts against the tool
HARD_LIMIT = 120.0  # a run still going after this is killed (and counted as slow)
BRANCH = "hm-nixos-module"
HUGE_SIZE = 20 * 1024 * 1024
MANY_FILES = 10_000
REPO, OUT, CANARY, OUTSIDE, TMP, HOME, DECOY = "dotfiles", "out", "canary.nix", "outside", "tmp", "home", "decoy"

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Fuzz", "GIT_AUTHOR_EMAIL": "fuzz@example.org",
    "GIT_COMMITTER_NAME": "Fuzz", "GIT_COMMITTER_EMAIL": "fuzz@example.org",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
}

# Words a clear message does not contain: Python's own vocabulary leaking out.
_UNCLEAR = re.compile(
    r"Traceback|\b[A-Z]\w*(Error|Exception)\b|\bobject at 0x|\b(PosixPath|SyntaxNode|NixPath|Thunk)\(|"
    r"\bErrno\b|\bNone\b|<[a-z_.]+ '"
)


# -- shared heavy inputs ---------------------------------------------------------------


class Shared:
    """The 20 MB module and the 10,000-file tree, built on first use, once per invocation."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self._lock = threading.Lock()
        self._huge: Optional[Path] = None
        self._many: Optional[Path] = None

    def huge(self) -> Path:
        with self._lock:
            if self._huge is None:
                path = self.workdir / "huge.nix"
                lines = ["{ lib, ... }:\n{\n"]
                size, n = 0, 0
                while size < HUGE_SIZE:
                    line = f'  environment.etc."fuzz/{n}".text = "generated line {n} of a very large module";\n'
                    lines.append(line)
                    size += len(line)
                    n += 1
                lines.append("}\n")
                path.write_text("".join(lines))
                self._huge = path
            return self._huge

    def many(self) -> Path:
        with self._lock:
            if self._many is None:
                top = self.workdir / "many"
                for i in range(MANY_FILES):
                    folder = top / f"d{i // 100:03d}"
                    folder.mkdir(parents=True, exist_ok=True)
                    if i % 5 < 3:
                        (folder / f"m{i}.nix").write_text(
                            f'{{ lib, ... }}:\n{{\n  environment.etc."many/{i}".text = "{i}";\n}}\n')
                    else:
                        (folder / f"asset{i}.conf").write_text(f"key{i} = value{i}\n")
                self._many = top
            return self._many


# -- the case's files ------------------------------------------------------------------


@dataclass
class Case:
    seed: int
    index: int
    dir: Path
    rng: random.Random
    shared: Shared
    mutations: list[str] = field(default_factory=list)
    marker: str = ""
    cwd: Optional[Path] = None
    repo_arg: str = REPO
    extra_env: dict = field(default_factory=dict)

    @property
    def repo(self) -> Path:
        return self.dir / REPO

    @property
    def id(self) -> str:
        return f"{self.seed}:{self.index}"

    # Files of the repository as the mutations see them (the generated trees left out,
    # so that a mutation aimed at "some module" hits one the analysis reads).
    def files(self, suffix: str = "") -> list[str]:
        found = []
        for dirpath, dirnames, filenames in os.walk(self.repo):
            dirnames[:] = sorted(d for d in dirnames if d not in (".git", "generated"))
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                if os.path.islink(full) or not os.path.isfile(full):
                    continue
                rel = os.path.relpath(full, self.repo)
                if rel.endswith(suffix):
                    found.append(rel)
        return found

    def dirs(self) -> list[str]:
        found = [""]
        for dirpath, dirnames, _ in os.walk(self.repo):
            dirnames[:] = sorted(d for d in dirnames if d not in (".git", "generated"))
            rel = os.path.relpath(dirpath, self.repo)
            if rel != ".":
                found.append(rel)
        return found

    def read(self, rel: str) -> bytes:
        return (self.repo / rel).read_bytes()

    def write(self, rel: str, data: bytes) -> None:
        # Replace instead of writing in place: the file may be a hard link into the shared tree.
        target = self.repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.exists():
            target.unlink()
        target.write_bytes(data)

    def remove(self, rel: str) -> None:
        target = self.repo / rel
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)

    def symlink(self, rel: str, target: str) -> None:
        link = self.repo / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.is_file():
            link.unlink()
        elif link.is_dir():
            shutil.rmtree(link)
        os.symlink(target, link)

    def nix_file(self, prefer_imports: bool = False) -> Optional[str]:
        candidates = self.files(".nix")
        if prefer_imports:
            with_imports = [f for f in candidates if _IMPORTS.search(self.read(f))]
            candidates = with_imports or candidates
        return self.rng.choice(candidates) if candidates else None

    def literal_to(self, from_file: str, target_rel: str) -> str:
        """A relative path literal from FROM_FILE's folder to TARGET_REL (repo-relative or with ..)."""
        rel = os.path.relpath(os.path.join(self.repo, target_rel), os.path.join(self.repo, os.path.dirname(from_file)))
        return rel if rel.startswith("../") else "./" + rel

    def outside_literal(self, from_file: str, name: str) -> str:
        """A relative path literal from FROM_FILE that lands on NAME beside the repository."""
        depth = from_file.count("/") + 1
        return "../" * depth + name

    def add_import(self, file: str, element: str) -> bool:
        """Put ELEMENT first in FILE's `imports = [` list; False when it has none."""
        data = self.read(file)
        match = _IMPORTS.search(data)
        if match is None:
            return False
        self.write(file, data[: match.end()] + b" " + os.fsencode(element) + b" " + data[match.end():])
        return True


_IMPORTS = re.compile(rb"\bimports\s*=\s*\[")
_BINDING_LINE = re.compile(rb"(?m)^[ \t]*[A-Za-z_][\w.\"-]*[ \t]*=[^;\n]*;[ \t]*\r?$\n?")
_PATH_LITERAL = re.compile(rb"(?<![\w/.])\.{1,2}/[\w./+-]+")


# -- mutations -------------------------------------------------------------------------
# Each takes the case and returns what it did (None when it found nothing to do).


def truncate(case: Case) -> Optional[str]:
    files = case.files(".nix") if case.rng.random() < 0.8 else case.files()
    if not files:
        return None
    file = case.rng.choice(files)
    data = case.read(file)
    cut = case.rng.randrange(len(data)) if data else 0
    case.write(file, data[:cut])
    return f"truncate {file} to {cut} of {len(data)} bytes"


_JUNK = [b"{", b"}", b";", b"= =", b"${", b'"', b"''", b"let", b" in ", b"/*", b"(", b"]", b"[",
         b"inherit", b"rec {", b"\\", b"=", b":", b"@", b"...", b"assert", b"if", b"then", b"or",
         b"./", b"<nixpkgs", b"\x00", b"\t${x", b"''${", b"#", b"?", b"->"]


def syntax_error(case: Case) -> Optional[str]:
    file = case.nix_file()
    if file is None:
        return None
    data = case.read(file)
    junk = case.rng.choice(_JUNK)
    at = case.rng.randrange(len(data) + 1)
    case.write(file, data[:at] + junk + data[at:])
    return f"insert {junk!r} into {file} at byte {at}"


_BAD_UTF8 = [b"\xff", b"\xfe\xff", b"\x80", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
             b"\xe2\x82", b"\xc0\xaf", b"caf\xe9"]


def non_utf8(case: Case) -> Optional[str]:
    bad = case.rng.choice(_BAD_UTF8)
    roll = case.rng.random()
    if roll < 0.2:
        # In a file name: git stores names as bytes, the tool must too or refuse.
        files = case.files(".nix")
        if not files:
            return None
        file = case.rng.choice(files)
        folder, name = os.path.split(file)
        new = os.path.join(folder, os.fsdecode(os.fsencode(name[:-4]) + bad) + ".nix")
        os.rename(case.repo / file, case.repo / new)
        return f"rename {file} to a name with bytes {bad!r}"
    files = case.files(".nix") if roll < 0.85 else case.files()
    if not files:
        return None
    file = case.rng.choice(files)
    data = case.read(file)
    at = case.rng.randrange(len(data) + 1)
    case.write(file, data[:at] + bad + data[at:])
    return f"insert bytes {bad!r} into {file} at byte {at}"


def symlink_loop(case: Case) -> Optional[str]:
    folder = case.rng.choice(case.dirs())
    variant = case.rng.randrange(5)
    at = lambda name: os.path.join(folder, name) if folder else name  # noqa: E731
    if variant == 0:
        case.symlink(at("loop-a.nix"), "loop-b.nix")
        case.symlink(at("loop-b.nix"), "loop-a.nix")
        importer = case.nix_file(prefer_imports=True)
        imported = importer is not None and case.add_import(importer, case.literal_to(importer, at("loop-a.nix")))
        return f"symlinks {at('loop-a.nix')} <-> loop-b.nix" + (f", imported by {importer}" if imported else "")
    if variant == 1:
        case.symlink(at("self.nix"), "self.nix")
        return f"symlink {at('self.nix')} -> itself"
    if variant == 2:
        file = case.nix_file()
        if file is None:
            return None
        case.symlink(file, os.path.basename(file))
        return f"replace {file} by a symlink to itself"
    if variant == 3:
        case.symlink(at("here"), ".")
        return f"symlink {at('here')} -> . (a directory loop)"
    case.symlink(at("up"), "../" * (folder.count("/") + 1) + (folder or "."))
    return f"symlink {at('up')} -> its own folder by way of the parent"


def symlink_outside(case: Case) -> Optional[str]:
    variant = case.rng.randrange(5)
    file = case.nix_file()
    if variant == 0 and file:
        case.symlink(file, str(case.dir / CANARY))
        return f"replace {file} by a symlink to the absolute path of the canary"
    if variant == 1 and file:
        case.symlink(file, case.outside_literal(file, CANARY))
        return f"replace {file} by a relative symlink to the canary outside"
    if variant == 2:
        folder = case.rng.choice(case.dirs())
        link = os.path.join(folder, "ext") if folder else "ext"
        case.symlink(link, case.outside_literal(link, OUTSIDE))
        importer = case.nix_file(prefer_imports=True)
        imported = importer is not None and case.add_import(importer, case.literal_to(importer, link))
        return f"symlink {link} -> the outside folder" + (f", imported by {importer}" if imported else "")
    if variant == 3:
        name = case.rng.choice(["passwd.nix", "etc", "root"])
        case.symlink(name, {"passwd.nix": "/etc/passwd", "etc": "/etc", "root": "/"}[name])
        return f"symlink {name} to a system path"
    folder = case.rng.choice(case.dirs())
    link = os.path.join(folder, "default.nix") if folder else "default.nix"
    case.symlink(link, str(case.dir / OUTSIDE / "default.nix"))
    return f"symlink {link} -> the absolute path of the outside folder's default.nix"


def path_outside(case: Case) -> Optional[str]:
    file = case.nix_file(prefer_imports=True)
    if file is None:
        return None
    target = case.rng.choice([CANARY, OUTSIDE, OUTSIDE + "/default.nix", OUTSIDE + "/secret.txt"])
    literal = case.outside_literal(file, target)
    variant = case.rng.randrange(3)
    if variant == 0 and case.add_import(file, literal):
        return f"import {literal} in {file}"
    data = case.read(file)
    literals = list(_PATH_LITERAL.finditer(data))
    if variant == 1 and literals:
        match = case.rng.choice(literals)
        case.write(file, data[: match.start()] + os.fsencode(literal) + data[match.end():])
        return f"replace path {match.group().decode(errors='replace')} in {file} by {literal}"
    expression = case.rng.choice([f"builtins.readFile {literal}", f"import {literal}", f"builtins.readDir {literal}",
                                  f"builtins.pathExists {literal}", f"(toString {literal})"])
    return _inject_binding(case, file, f'fuzz.outside = {expression};', f"{expression} in {file}")


def absolute_import(case: Case) -> Optional[str]:
    file = case.nix_file(prefer_imports=True)
    if file is None:
        return None
    target = case.rng.choice([str(case.dir / CANARY), str(case.dir / OUTSIDE), "/etc/passwd", "/etc/shadow",
                              "/nix/store/00000000000000000000000000000000-x/default.nix", "/"])
    if case.rng.random() < 0.5 and case.add_import(file, target):
        return f"import {target} in {file}"
    expression = case.rng.choice([f"import {target}", f"builtins.readFile {target}", f"builtins.readDir {target}",
                                  f'builtins.readFile "{target}"', f"builtins.pathExists {target}",
                                  f'import (/. + "{target}")'])
    return _inject_binding(case, file, f"fuzz.absolute = {expression};", f"{expression} in {file}")


def _inject_binding(case: Case, file: str, binding: str, description: str) -> Optional[str]:
    """Insert BINDING just inside the first attribute set that follows the module's arguments."""
    data = case.read(file)
    match = re.search(rb":\s*(let\b.*?\bin\s*)?\{", data, re.S) or re.search(rb"\{", data)
    if match is None:
        return None
    case.write(file, data[: match.end()] + b"\n  " + os.fsencode(binding) + b"\n" + data[match.end():])
    return description


def missing_import(case: Case) -> Optional[str]:
    if case.rng.random() < 0.5:
        file = case.nix_file(prefer_imports=True)
        if file and case.add_import(file, case.rng.choice(["./missing.nix", "./gone", "./no/such/dir/x.nix"])):
            return f"import a file that does not exist in {file}"
    # Delete a file another file names.
    files = case.files(".nix")
    named = [f for f in files if any(os.fsencode(os.path.basename(f)) in case.read(o) for o in files if o != f)]
    if not named:
        return None
    file = case.rng.choice(named)
    case.remove(file)
    return f"delete {file}"


def import_cycle(case: Case) -> Optional[str]:
    file = case.nix_file(prefer_imports=True)
    if file is None or not _IMPORTS.search(case.read(file)):
        return None
    data = case.read(file)
    imported = [m.group().decode(errors="replace") for m in _PATH_LITERAL.finditer(data[_IMPORTS.search(data).end():])]
    if imported and case.rng.random() < 0.6:
        target = os.path.normpath(os.path.join(os.path.dirname(file), imported[0]))
        if os.path.isdir(case.repo / target):
            target = os.path.join(target, "default.nix")
        if (case.repo / target).is_file() and not (case.repo / target).is_symlink():
            if case.add_import(target, case.literal_to(target, file)):
                return f"{target} imports {file} back (cycle)"
    case.add_import(file, "./" + os.path.basename(file))
    return f"{file} imports itself"


def binary_nix(case: Case) -> Optional[str]:
    size = case.rng.choice([1, 16, 4096, 65536])
    data = bytes(case.rng.randrange(256) for _ in range(min(size, 4096))) * max(1, size // 4096)
    if case.rng.random() < 0.5:
        file = case.nix_file()
        if file is None:
            return None
    else:
        folder = case.rng.choice(case.dirs())
        file = os.path.join(folder, "binary.nix") if folder else "binary.nix"
    case.write(file, data)
    return f"binary content ({len(data)} bytes) in {file}"


def huge_nix(case: Case) -> Optional[str]:
    source = case.shared.huge()
    if case.rng.random() < 0.5:
        file = case.nix_file()
        if file is None or os.path.basename(file) == "flake.nix":
            file = None
    else:
        file = None
    if file is None:
        folder = case.rng.choice(case.dirs())
        file = os.path.join(folder, "huge.nix") if folder else "huge.nix"
    case.remove(file)
    shutil.copyfile(source, case.repo / file)
    return f"20 MB module as {file}"


def crlf(case: Case) -> Optional[str]:
    files = case.files(".nix")
    if not files:
        return None
    chosen = files if case.rng.random() < 0.3 else [case.rng.choice(files)]
    how = case.rng.choice(["CRLF line ends", "CRLF line ends", "lone CR line ends", "a UTF-8 byte order mark",
                           "mixed LF and CRLF line ends"])
    for file in chosen:
        data = case.read(file).replace(b"\r\n", b"\n")
        if how == "CRLF line ends":
            data = data.replace(b"\n", b"\r\n")
        elif how == "lone CR line ends":
            data = data.replace(b"\n", b"\r")
        elif how == "a UTF-8 byte order mark":
            data = b"\xef\xbb\xbf" + data
        else:
            lines = data.split(b"\n")
            data = b"".join(line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(lines[:-1])) + lines[-1]
        case.write(file, data)
    return f"{how} in " + ("every .nix file" if len(chosen) > 1 else chosen[0])


_ODD_NAMES = ["with space.nix", "quote\"d.nix", "dollar${x}.nix", "new\nline.nix", "tab\t.nix", "caf\u00e9.nix",
              "\U0001f600.nix", "-leading-dash.nix", "#hash.nix", "back\\slash.nix", "x" * 250 + ".nix",
              "..nix", ".nix", "a:b.nix", "*.nix", "[x].nix", "'.nix", "~tilde.nix", "@{a}.nix"]


def odd_name(case: Case) -> Optional[str]:
    name = case.rng.choice(_ODD_NAMES)
    files = case.files(".nix")
    if files and case.rng.random() < 0.5:
        file = case.rng.choice(files)
        new = os.path.join(os.path.dirname(file), name)
        os.rename(case.repo / file, case.repo / new)
        return f"rename {file} to {new!r}"
    folder = case.rng.choice(case.dirs())
    new = os.path.join(folder, name)
    case.write(new, b"{ lib, ... }: { }\n")
    return f"add {new!r}"


def directory_named_nix(case: Case) -> Optional[str]:
    file = case.nix_file()
    if file is not None and os.path.basename(file) != "flake.nix" and case.rng.random() < 0.6:
        # An imported module becomes a folder: `import ./x.nix` then means ./x.nix/default.nix.
        data = case.read(file)
        case.remove(file)
        case.write(os.path.join(file, "default.nix" if case.rng.random() < 0.5 else "inner.nix"), data)
        return f"{file} becomes a folder"
    folder = case.rng.choice(case.dirs())
    case.write(os.path.join(folder, "folder.nix", "x.txt"), b"not nix\n")
    return f"a folder named {os.path.join(folder, 'folder.nix')}"


def long_path(case: Case) -> Optional[str]:
    depth = case.rng.choice([20, 60, 120])
    parts = [f"level{i:03d}-{'d' * 20}" for i in range(depth)]
    rel = os.path.join(*parts, "deep-module.nix")
    case.write(rel, b"{ lib, ... }: { }\n")
    importer = case.nix_file(prefer_imports=True)
    if importer and case.rng.random() < 0.5 and case.add_import(importer, case.literal_to(importer, rel)):
        return f"a module {len(rel)} characters deep, imported by {importer}"
    return f"a file {len(rel)} characters deep"


def duplicate_attrs(case: Case) -> Optional[str]:
    file = case.nix_file()
    if file is None:
        return None
    data = case.read(file)
    lines = list(_BINDING_LINE.finditer(data))
    if lines and case.rng.random() < 0.7:
        match = case.rng.choice(lines)
        case.write(file, data[: match.end()] + match.group() + data[match.end():])
        return f"duplicate the binding {match.group().strip().decode(errors='replace')[:60]!r} in {file}"
    return _inject_binding(case, file, 'networking.hostName = "a"; networking.hostName = "b";',
                           f"duplicate networking.hostName in {file}")


def empty_repository(case: Case) -> Optional[str]:
    for entry in sorted(case.repo.iterdir()):
        case.remove(entry.name)
    return "remove every file"


def many_files(case: Case) -> Optional[str]:
    if (case.repo / "generated").exists():
        return None
    source = case.shared.many()
    for dirpath, _dirnames, filenames in os.walk(source):
        rel = os.path.relpath(dirpath, source)
        target = case.repo / "generated" / rel
        target.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            os.link(os.path.join(dirpath, name), target / name)
    if case.rng.random() < 0.3:
        # Let a module read the whole folder, so the analysis has to walk it.
        case.write("generated/default.nix", (
            b"{ lib, ... }:\n{\n  imports = map (d: ./. + \"/${d}\") (lib.attrNames (builtins.readDir ./.));\n}\n"))
        importer = case.nix_file(prefer_imports=True)
        if importer and importer != "generated/default.nix" and case.add_import(importer, case.literal_to(importer, "generated")):
            return f"{MANY_FILES} files under generated/, all of it imported by {importer}"
    return f"{MANY_FILES} files under generated/"


def deep_nesting(case: Case) -> Optional[str]:
    depth = case.rng.choice([500, 5_000, 50_000, 200_000])
    opener, closer = case.rng.choice([(b"[", b"]"), (b"(", b")"), (b"{ a = ", b"; }"), (b"let x = ", b"; in x"),
                                      (b"-", b""), (b"a.b or ", b""), (b"x: ", b""), (b"[ -", b" ]")])
    data = opener * depth + b"1" + closer * depth + b"\n"
    if case.rng.random() < 0.3:  # where the analysis evaluates it, not only parses it
        data = b"{ ... }: { imports = [ (" + data.rstrip() + b") ]; }\n"
    file = case.nix_file() if case.rng.random() < 0.5 else None
    if file is None or os.path.basename(file) == "flake.nix":
        folder = case.rng.choice(case.dirs())
        file = os.path.join(folder, "deep.nix") if folder else "deep.nix"
    case.write(file, data)
    return f"{depth} nested {opener.decode().strip()!r} in {file}"


MUTATIONS: dict[str, tuple[float, Callable[[Case], Optional[str]]]] = {
    # name: (relative weight, mutation); the two heavy ones are rarer so 1000 cases fit in 20 minutes
    "truncate": (1.0, truncate),
    "syntax-error": (1.0, syntax_error),
    "non-utf8": (1.0, non_utf8),
    "symlink-loop": (1.0, symlink_loop),
    "symlink-outside": (1.0, symlink_outside),
    "path-outside": (1.0, path_outside),
    "absolute-import": (1.0, absolute_import),
    "missing-import": (1.0, missing_import),
    "import-cycle": (1.0, import_cycle),
    "binary-nix": (1.0, binary_nix),
    "huge-nix": (0.35, huge_nix),
    "crlf": (1.0, crlf),
    "duplicate-attrs": (1.0, duplicate_attrs),
    "empty-repository": (0.4, empty_repository),
    "many-files": (0.35, many_files),
    "deep-nesting": (0.6, deep_nesting),
    "odd-name": (0.6, odd_name),
    "directory-named-nix": (0.5, directory_named_nix),
    "long-path": (0.4, long_path),
}


# -- one case --------------------------------------------------------------------------


@dataclass
class Outcome:
    case: str
    sample: str
    mutations: list[str]
    state: str
    mode: list[str]
    code: Optional[int] = None
    seconds: float = 0.0
    kind: str = ""  # migrated | refused | unclear | traceback
    problems: list[str] = field(default_factory=list)  # changed repo, wrote outside, read outside
    stderr: str = ""
    stdout_tail: str = ""

    @property
    def bad(self) -> bool:
        return self.kind in ("unclear", "traceback", "fuzzer-error") or bool(self.problems) or self.seconds > SLOW

    def describe(self) -> str:
        lines = [f"case {self.case} ({self.sample}, {self.state}, migrate {' '.join(self.mode)}): "
                 f"{self.kind}, exit {self.code}, {self.seconds:.1f} s",
                 *(f"  mutation: {m}" for m in self.mutations),
                 *(f"  PROBLEM: {p}" for p in self.problems)]
        if self.kind in ("unclear", "traceback"):
            lines += ["  stderr:", *("    " + line for line in self.stderr.splitlines()[-25:])]
        lines.append(f"  replay: python bench/fuzz.py --case {self.case} --keep")
        return "\n".join(lines)


def _git(repo: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    # No automatic gc: a detached `git gc --auto` after the setup commit would still be
    # repacking while the run is measured, and look like the tool's doing.
    subprocess.run(["git", "-c", "gc.auto=0", "-c", "maintenance.auto=false", *args], cwd=repo,
                   env={**env, **GIT_ENV}, check=True, capture_output=True)


def prepare_case(seed: int, index: int, workdir: Path, shared: Shared) -> tuple[Case, Outcome, list[str]]:
    rng = random.Random(f"{seed}:{index}")
    samples = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())
    sample = rng.choice(samples)
    case_dir = Path(tempfile.mkdtemp(prefix=f"case-{index}-", dir=workdir))
    case = Case(seed, index, case_dir, rng, shared, marker=f"HM-MIGRATE-CANARY-{seed}-{index}")
    shutil.copytree(SAMPLES / sample, case.repo, symlinks=True)
    canary = f'{{ ... }}: {{ environment.etc."canary".text = "{case.marker}"; }}\n'
    (case_dir / CANARY).write_text(canary)
    (case_dir / OUTSIDE).mkdir()
    (case_dir / OUTSIDE / "default.nix").write_text(canary)
    (case_dir / OUTSIDE / "secret.txt").write_text(case.marker + "\n")
    (case_dir / TMP).mkdir()
    (case_dir / HOME).mkdir()

    names, weights = zip(*((name, weight) for name, (weight, _) in MUTATIONS.items()))
    count = rng.choice([1, 1, 1, 2, 2, 3])
    chosen = rng.choices(names, weights, k=count)
    if "empty-repository" in chosen:  # first, so that what the others add stays
        chosen.remove("empty-repository")
        chosen.insert(0, "empty-repository")
    for name in chosen:
        done = MUTATIONS[name][1](case)
        case.mutations.append(f"{name}: {done}" if done else f"{name}: (nothing to mutate)")

    state = rng.choices(["git", "plain", "dirty", "no-commits", "detached", "locked", "branch-exists", "corrupt"],
                        [0.55, 0.12, 0.1, 0.04, 0.05, 0.05, 0.04, 0.05])[0]
    if state != "plain":
        _git(case.dir, "init", "-q", "--template=", "-b", "main", REPO)
        _git(case.repo, "add", "-A")
        if state != "no-commits":
            _git(case.repo, "commit", "-q", "--allow-empty", "-m", "dotfiles")
    if state == "detached":
        _git(case.repo, "checkout", "-q", "--detach")
    elif state == "locked":
        # Another git command is running (or crashed): its lock files must stay as they are.
        lock = rng.choice(["index.lock", f"refs/heads/{BRANCH}.lock", "HEAD.lock"])
        (case.repo / ".git" / lock).parent.mkdir(parents=True, exist_ok=True)
        (case.repo / ".git" / lock).write_bytes(b"")
        state = f"locked ({lock})"
    elif state == "branch-exists":
        _git(case.repo, "branch", BRANCH)
    elif state == "corrupt":
        how = rng.choice(["missing object", "garbage ref", "garbage HEAD", "empty object", "truncated object"])
        objects = sorted(p for p in (case.repo / ".git" / "objects").glob("??/*"))
        if how.endswith("object") and objects:
            victim = rng.choice(objects)
            victim.chmod(0o644)
            if how == "missing object":
                victim.unlink()
            elif how == "empty object":
                victim.write_bytes(b"")
            else:  # shorter than its header says; git itself does not notice
                header, _, body = zlib.decompress(victim.read_bytes()).partition(b"\0")
                victim.write_bytes(zlib.compress(header + b"\0" + body[: len(body) // 2]))
        elif how == "garbage ref":
            (case.repo / ".git" / "refs" / "heads" / "main").write_bytes(b"not a sha\n")
        else:
            (case.repo / ".git" / "HEAD").write_bytes(b"\xff\xfegarbage\n")
        state = f"corrupt ({how})"
    if state == "dirty":
        files = case.files()
        how = rng.randrange(3)
        if how == 0 and files:
            file = rng.choice(files)
            case.write(file, case.read(file) + b"\n# local edit\n")
        elif how == 1:
            case.write("staged.nix", b"{ }\n")
            _git(case.repo, "add", "staged.nix")
        else:
            case.write("untracked.nix", b"{ }\n")

    mode = rng.choices([["--dry-run"], ["--dry-run", "--json"], ["--out", OUT], []], [0.3, 0.2, 0.25, 0.25])[0]
    mode = list(mode)
    if mode == [] and state == "dirty" and rng.random() < 0.5:
        mode.append("--allow-dirty")
    if mode == [] and state == "branch-exists" and rng.random() < 0.5:
        mode.append("--force")
    if mode[:1] == ["--out"] and rng.random() < 0.2:
        (case_dir / OUT).mkdir()  # an empty --out directory is allowed

    # How the command is called: from beside the repository (the argument spelt in
    # various ways), from inside it, or from a git hook of another repository.
    case.cwd, case.repo_arg = case_dir, rng.choice([REPO, f"./{REPO}/", str(case.repo), f"{REPO}/../{REPO}"])
    how = rng.choices(["beside", "inside", "hook"], [0.8, 0.1, 0.1])[0]
    if how == "inside":
        case.cwd, case.repo_arg = case.repo, "."
        mode = [f"../{OUT}" if m == OUT else m for m in mode]
    elif how == "hook":
        decoy = case_dir / DECOY
        decoy.mkdir()
        (decoy / "README").write_text("another repository\n")
        _git(case_dir, "init", "-q", "--template=", "-b", "main", DECOY)
        _git(decoy, "add", "-A")
        _git(decoy, "commit", "-q", "-m", "decoy")
        case.extra_env = {"GIT_DIR": str(decoy / ".git"), "GIT_WORK_TREE": str(decoy),
                          "GIT_INDEX_FILE": str(decoy / ".git" / "index")}
    outcome = Outcome(case.id, sample, case.mutations, state, [case.repo_arg, *mode])
    if how != "beside":
        outcome.mutations = [*case.mutations, f"run from {'inside the repository' if how == 'inside' else 'a git hook of another repository'}"]
    return case, outcome, mode


def _state(case: Case, plain: bool):
    if plain:
        return working_tree(case.repo)
    try:
        return repo_state(case.repo)
    except AssertionError:
        # git no longer takes it for a repository (a garbage HEAD): compare the bytes.
        return {"working_tree": working_tree(case.repo), "git_dir": working_tree(case.repo / ".git")}


def clear_message(stderr: str) -> bool:
    lines = stderr.rstrip("\n").splitlines()
    if not lines or not lines[0].startswith("migrate: "):
        return False
    # A verification failure lists its differences as indented lines under the message.
    if any(not line.startswith(" ") for line in lines[1:]):
        return False
    message = lines[0][len("migrate: "):]
    return len(message.split()) >= 3 and not _UNCLEAR.search(stderr)


def run_case(seed: int, index: int, workdir: Path, shared: Shared, keep: bool = False,
             migrate: Optional[list[str]] = None) -> Outcome:
    try:
        case, outcome, mode = prepare_case(seed, index, workdir, shared)
    except Exception as err:  # the fuzzer's own failure is reported, not hidden
        outcome = Outcome(f"{seed}:{index}", "?", [], "?", [])
        outcome.kind = "fuzzer-error"
        outcome.problems.append(f"fuzzer error while preparing: {type(err).__name__}: {err}")
        return outcome
    try:
        _run(case, outcome, mode, migrate or [sys.executable, "-m", "migrate"])
    except Exception as err:
        outcome.kind = "fuzzer-error"
        outcome.problems.append(f"fuzzer error: {type(err).__name__}: {err}")
    finally:
        if not keep:
            shutil.rmtree(case.dir, ignore_errors=True)
    return outcome


def _run(case: Case, outcome: Outcome, mode: list[str], migrate: list[str]) -> None:
    plain = outcome.state == "plain"
    before = _state(case, plain)
    decoy_before = repo_state(case.dir / DECOY) if case.extra_env else None
    out_existed = (case.dir / OUT).exists()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV, TMPDIR=str(case.dir / TMP), HOME=str(case.dir / HOME), NO_COLOR="1",
               PYTHONPATH=str(ROOT))
    started = time.monotonic()
    process = subprocess.Popen([*migrate, case.repo_arg, *mode], cwd=case.cwd or case.dir,
                               env={**env, **case.extra_env}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=HARD_LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        outcome.problems.append(f"killed after {HARD_LIMIT:.0f} s")
    outcome.seconds = time.monotonic() - started
    outcome.code = process.returncode
    text_out = stdout.decode("utf-8", "replace")
    outcome.stderr = stderr.decode("utf-8", "replace")
    outcome.stdout_tail = text_out[-2000:]

    if "Traceback" in outcome.stderr or outcome.code not in (0, 1):
        outcome.kind = "traceback" if ("Traceback" in outcome.stderr or outcome.code not in (2, 130)) else "unclear"
    elif outcome.code == 0:
        outcome.kind = "migrated"
        if "--json" in mode:
            try:
                json.loads(text_out)
            except ValueError:
                outcome.kind = "unclear"
                outcome.problems.append("--json printed something that is not one JSON document")
    else:
        outcome.kind = "refused" if clear_message(outcome.stderr) else "unclear"
    if outcome.seconds > SLOW:
        outcome.problems.append(f"took {outcome.seconds:.1f} s")

    after = _state(case, plain)
    if after != before:
        difference = changed({"working_tree": before}, {"working_tree": after}) if plain else changed(before, after)
        if not _only_new_branch(difference, outcome, mode):
            outcome.problems.append(f"changed the repository: {_short(difference)}")

    if decoy_before is not None and repo_state(case.dir / DECOY) != decoy_before:
        outcome.problems.append("changed the repository named by GIT_DIR: "
                                f"{_short(changed(decoy_before, repo_state(case.dir / DECOY)))}")
    expected = {REPO, CANARY, OUTSIDE, TMP, HOME, DECOY}
    if mode[:1] == ["--out"] and (out_existed or outcome.code == 0):
        expected.add(OUT)
    extra = sorted(p.name for p in case.dir.iterdir() if p.name not in expected)
    if extra:
        outcome.problems.append(f"left {extra} beside the repository")
    for scratch in (TMP, HOME):
        left = sorted(os.listdir(case.dir / scratch))
        if left:
            outcome.problems.append(f"left {left} in its {scratch.upper()}")
    if out_existed and outcome.code != 0 and any((case.dir / OUT).iterdir()):
        outcome.problems.append("wrote into --out although it failed")

    marker = case.marker.encode()
    if marker in stdout or marker in stderr:
        outcome.problems.append("printed the contents of a file outside the repository")
    if mode[:1] == ["--out"] and (case.dir / OUT).is_dir() and _tree_contains(case.dir / OUT, marker):
        outcome.problems.append("copied the contents of a file outside the repository into --out")
    if mode[:1] == ["--out"] and outcome.code == 0 and (case.dir / OUT).is_dir() and any((case.dir / OUT).iterdir()):
        before_links, after_links = _links(case.repo), _links(case.dir / OUT)
        if before_links != after_links:
            outcome.problems.append(f"wrong migration: symlinks no longer lead where they did "
                                    f"(working in-tree links, outside targets): {before_links} became {after_links}")
    if not mode or mode == ["--allow-dirty"]:
        grep = subprocess.run(["git", "grep", "-q", "-F", case.marker, BRANCH, "--"], cwd=case.repo,
                              capture_output=True, env={**env, "HOME": str(case.dir)})
        if grep.returncode == 0:
            outcome.problems.append("committed the contents of a file outside the repository")


def _only_new_branch(difference: dict, outcome: Outcome, mode: list[str]) -> bool:
    """A successful commit run adds refs/heads/BRANCH (or moves it, with --force); that is
    its whole allowed effect."""
    if outcome.code != 0 or mode[:1] in (["--dry-run"], ["--out"]) or set(difference) - {"refs", "git_files"}:
        return False
    old_refs, new_refs = difference.get("refs", ([], []))
    ours = f"refs/heads/{BRANCH} "
    removed, added = set(old_refs) - set(new_refs), set(new_refs) - set(old_refs)
    if len(added) != 1 or not next(iter(added)).startswith(ours) or any(not r.startswith(ours) for r in removed):
        return False
    if removed and "--force" not in mode:
        return False
    if "git_files" in difference:
        old_files, new_files = difference["git_files"]
        if set(old_files) - set(new_files) or set(new_files) - set(old_files) - {f"refs/heads/{BRANCH}"}:
            return False
    return True


def _links(top: Path) -> tuple[int, list[str]]:
    """How many symlinks of TOP lead to something inside it, and where the others lead."""
    inside, outside = 0, []
    root = os.path.realpath(top)
    for dirpath, dirnames, filenames in os.walk(top):
        if Path(dirpath) == top:
            dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            if not os.path.islink(full):
                continue
            real = os.path.realpath(full)
            if real == root or real.startswith(root + os.sep):
                inside += os.path.exists(full)
            else:
                outside.append(real)
    return inside, sorted(outside)


def _tree_contains(top: Path, marker: bytes) -> bool:
    for dirpath, _dirnames, filenames in os.walk(top):
        for name in filenames:
            full = os.path.join(dirpath, name)
            if not os.path.islink(full) and marker in Path(full).read_bytes():
                return True
    return False


def _short(difference: dict) -> str:
    text = repr(difference)
    return text if len(text) < 600 else text[:600] + "..."


# -- a batch ---------------------------------------------------------------------------


@dataclass
class Figures:
    runs: int = 0
    migrated: int = 0
    refused: int = 0
    unclear: int = 0
    tracebacks: int = 0
    changed: int = 0
    outside: int = 0
    slow: int = 0
    fuzzer_errors: int = 0
    wrong: int = 0
    seconds: float = 0.0
    bad: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.runs += 1
        self.migrated += outcome.kind == "migrated"
        self.refused += outcome.kind == "refused"
        self.unclear += outcome.kind == "unclear"
        self.tracebacks += outcome.kind == "traceback"
        self.changed += any(p.startswith("changed the repository") for p in outcome.problems)
        self.outside += any(not p.startswith(("changed the repository", "took", "killed", "fuzzer", "--json",
                                              "wrong migration")) for p in outcome.problems)
        self.wrong += any(p.startswith(("wrong migration", "--json")) for p in outcome.problems)
        self.slow += outcome.seconds > SLOW
        self.fuzzer_errors += outcome.kind == "fuzzer-error"
        if outcome.bad:
            self.bad.append(outcome)

    @property
    def ok(self) -> bool:
        return not (self.unclear or self.tracebacks or self.changed or self.outside or self.slow or self.fuzzer_errors
                    or self.wrong)

    def report(self) -> str:
        return "\n".join([
            f"runs: {self.runs}",
            f"migrated: {self.migrated}",
            f"refused with a clear message: {self.refused}",
            f"refused without a clear message: {self.unclear}",
            f"tracebacks: {self.tracebacks}",
            f"runs that changed the user's repository: {self.changed}",
            f"runs that wrote or read outside the repository and --out: {self.outside}",
            f"migrations with a wrong result (broken symlinks, bad --json): {self.wrong}",
            f"runs over {SLOW:.0f} s: {self.slow}",
            *([f"cases the fuzzer itself failed to prepare or check: {self.fuzzer_errors}"] if self.fuzzer_errors else []),
            f"wall time: {self.seconds:.1f} s",
        ])


def run_batch(count: int, seed: int, jobs: int = 2, workdir: Optional[Path] = None,
              progress: Optional[Callable[[Outcome], None]] = None) -> Figures:
    figures = Figures()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hm-migrate-fuzz-", dir=workdir) as top:
        top = Path(top)
        shared_dir = top / "shared"
        shared_dir.mkdir()
        shared = Shared(shared_dir)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for outcome in pool.map(lambda i: run_case(seed, i, top, shared), range(count)):
                figures.add(outcome)
                if progress is not None:
                    progress(outcome)
    figures.seconds = time.monotonic() - started
    return figures


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, help="number of cases")
    parser.add_argument("seed", nargs="?", type=int, help="seed of the whole batch")
    parser.add_argument("--jobs", type=int, default=2, help="cases run at once (default 2)")
    parser.add_argument("--case", metavar="SEED:I", help="replay one case and show everything about it")
    parser.add_argument("--keep", action="store_true", help="with --case: keep the case's directory")
    parser.add_argument("--verbose", action="store_true", help="one line per case, good ones too")
    args = parser.parse_args(argv)

    if args.case:
        seed, _, index = args.case.partition(":")
        workdir = Path(tempfile.mkdtemp(prefix="hm-migrate-fuzz-case-"))
        shared_dir = workdir / "shared"
        shared_dir.mkdir()
        outcome = run_case(int(seed), int(index), workdir, Shared(shared_dir), keep=args.keep)
        print(outcome.describe())
        print("stdout (end):\n" + outcome.stdout_tail)
        print("stderr:\n" + outcome.stderr)
        if args.keep:
            print(f"kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        return 1 if outcome.bad else 0
    if args.count is None or args.seed is None:
        parser.error("N and SEED are required (or --case SEED:I)")

    def progress(outcome: Outcome) -> None:
        if outcome.bad:
            print(outcome.describe(), flush=True)
        elif args.verbose:
            first = outcome.stderr.strip().splitlines()[0] if outcome.stderr.strip() else ""
            print(f"{outcome.case} {outcome.kind} {outcome.seconds:.1f}s {' '.join(outcome.mode[1:]) or '(commit)'}"
                  f" | {' | '.join(outcome.mutations)} | {first}", flush=True)

    figures = run_batch(args.count, args.seed, args.jobs, progress=progress)
    print(figures.report())
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())
