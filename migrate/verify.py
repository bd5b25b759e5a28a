"""Static verification (DESIGN.md section 3): analyse the planned tree and compare it
with the original, renames aside.  Any difference stops the run before anything is
written.  When `nix-instantiate` is on PATH it also parses every changed .nix file.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from migrate.analyze.graph import where_parts
from migrate.analyze.packages import host_nixpkgs, shares_pkgs, standalone_pkgs
from migrate.analyze.values import AttrSet, External, Lambda, MkOverride, NixList, NixPath, PkgsInstance, force, unwrap
from migrate.errors import MigrateError
from migrate.signal_mask import interruptions_held
from migrate.snapshot import from_mapping


class VerificationError(MigrateError):
    def __init__(self, differences: list[str]):
        self.differences = differences
        shown = "\n".join(f"  - {d}" for d in differences[:30])
        more = f"\n  ... and {len(differences) - 30} more" if len(differences) > 30 else ""
        super().__init__(f"verification failed: the planned tree is not equivalent to the original; nothing was written\n{shown}{more}")


def verify(original, plan, attach=None) -> list[str]:
    """The differences between the original analysis and the planned tree's (empty when
    equivalent). A changed file that Nix rejects as the user wrote it too is not the
    migration's doing (often an older Nix than the user's): it is added to plan.notes."""
    with ParseCheck(plan) as check:
        differences = _differences(original, plan, attach)
        differences.extend(check.problems())
    for old, message in check.rejected_before:
        plan.notes.append(f"{old}: the local nix-instantiate --parse rejects this file as it is in the repository "
                          f"too ({message}); the migration leaves that as it was: check it with the Nix you build with")
    return differences


def _differences(original, plan, attach) -> list[str]:
    from migrate.analyze.analysis import analyze

    renamed = {m.old: m.new for m in plan.moves}
    earlier = getattr(original, "evaluator", None)
    parsed_before = {nix.data: nix for nix in earlier.files.values()} if earlier is not None else {}
    parsed_before.update(getattr(plan, "edit_parses", {}))
    new = analyze(from_mapping(plan.tree, "<planned tree>", plan.modes), attach=attach, parsed_before=parsed_before,
                  classify_files=False)
    differences: list[str] = []
    if new.layout != "already-migrated":
        differences.append(f"the planned tree is not recognised as migrated (layout {new.layout})")
    mapped = lambda paths: sorted(renamed.get(p, p) for p in paths)  # noqa: E731
    for name, host in original.hosts.items():
        after = new.hosts.get(name)
        if after is None:
            differences.append(f"host {name} is missing from the planned flake")
            continue
        _compare(differences, f"host {name}: modules", mapped(host.files), sorted(after.files))
        _compare(differences, f"host {name}: conditional modules",
                 mapped(p for p, r in host.files.items() if r.conditional),
                 sorted(p for p, r in after.files.items() if r.conditional))
        hm = {m for m in after.external_modules if m.endswith(".nixosModules.home-manager")}
        wanted_hm = hm if any(h.host == name or name in h.hosts for h in original.homes.values() if not h.integrated) else set()
        _compare(differences, f"host {name}: modules from inputs",
                 sorted(set(host.external_modules) | wanted_hm),
                 sorted(m for m in after.external_modules if not _expected_external(m, plan)))
        if host.system != after.system:
            differences.append(f"host {name}: system {host.system} became {after.system}")
        _compare_host_inputs(differences, name, original, host, new, after, plan)
        _compare_args(differences, f"host {name}: specialArgs", host.args, after.args, renamed, plan.expected_new_args,
                      {i for f, i in plan.expected_new_inputs if f == _flake_file(after, new)} - set(
                          getattr(original, "flake_inputs", {}).get(_flake_file(host, original), {})))
    _compare_flake_inputs(differences, original, new, plan)
    for name in new.hosts:
        if name not in original.hosts:
            differences.append(f"host {name} appears in the planned flake only")
    if plan.keeps_channels:
        differences.extend(_channel_module_missing(new, plan))
    for home_name in plan.migrating:
        home = original.homes[home_name]
        for host_name in home.hosts:
            after = next((h for h in new.homes.values() if h.integrated and h.user == home.user
                          and h.host == host_name), None)
            label = f"{home_name} (as home-manager.users.{home.user} on {host_name})"
            if after is None or not after.integrated:
                differences.append(f"{label}: not wired into host {host_name}")
                continue
            _compare(differences, f"{label}: modules", mapped(home.files), sorted(after.files))
            inputs = _input_names(original)
            _compare(differences, f"{label}: modules from inputs", _as_inputs(home.external_modules, inputs),
                     _as_inputs([m for m in after.external_modules if not _expected_external(m, plan)], inputs))
            _compare_args(differences, f"{label}: extraSpecialArgs", home.args, after.args, renamed, plan.expected_new_args)
    _compare_packages(differences, original, new, plan, renamed)
    _compare_settings(differences, original, new, plan)
    for home_name in plan.kept_standalone:
        home = original.homes[home_name]
        after = new.homes.get(home_name)
        if after is None:
            differences.append(f"homeConfigurations.{home_name} (kept standalone) is missing")
            continue
        _compare(differences, f"homeConfigurations.{home_name}: modules", mapped(home.files), sorted(after.files))
        _compare_args(differences, f"homeConfigurations.{home_name}: extraSpecialArgs", home.args, after.args, renamed)
    return differences


def _compare_settings(differences, original, new, plan) -> None:
    """Each wired host's home-manager.useGlobalPkgs, useUserPackages and
    backupFileExtension, however the plan wrote them (a host's modules list, the flake's
    mkHost, the repository's helper, the wrapper): what the plan decided, or what the
    host already set itself."""
    for wiring in plan.wirings:
        before, after = original.hosts.get(wiring.host), new.hosts.get(wiring.host)
        if after is None:
            continue  # reported as missing
        wanted = {"useGlobalPkgs": wiring.use_global_pkgs, "useUserPackages": True,
                  "backupFileExtension": plan.backup_extension}
        for name, value in wanted.items():
            own = [_setting(t) for t in getattr(before, "hm_settings", {}).get(name, [])]
            expected = own or [value]
            found = [_setting(t) for t in getattr(after, "hm_settings", {}).get(name, [])]
            if found != expected:
                shown = ", ".join(map(repr, found)) or "not set"
                differences.append(f"host {wiring.host}: home-manager.{name} is {shown}, "
                                   f"expected {', '.join(map(repr, expected))}")


def _setting(thunk):
    value = unwrap(force(thunk))
    return value if isinstance(value, (bool, str, int)) else f"<{type(value).__name__}>"


def _input_names(analysis) -> set[str]:
    return {name for inputs in getattr(analysis, "flake_inputs", {}).values() for name in inputs}


def _as_inputs(texts, inputs: set[str]) -> list[str]:
    """Module texts with an input named as `inputs.<name>` either way: the wiring writes
    `agenix.homeManagerModules.default` where `agenix` is an argument of `outputs`, for
    what the home wrote as `inputs.agenix.homeManagerModules.default`."""
    return sorted(f"inputs.{text}" if text.split(".", 1)[0] in inputs and not text.startswith("inputs.") else text
                  for text in texts)


def _flake_file(root, analysis=None) -> str:
    """The flake that builds ROOT: the flake.nix whose folder holds the file that defines
    it (a helper in lib/ builds hosts for the flake at the top)."""
    file, _line = where_parts(root.where)
    file = file or "flake.nix"
    flakes = getattr(analysis, "flake_inputs", None) or {}
    if file in flakes or not flakes:
        return file
    holders = [f for f in flakes if f == "flake.nix" or file.startswith(f.rpartition("/")[0] + "/")]
    return max(holders, key=len) if holders else file


def _inputs_label(inputs: dict, added: set) -> list[str]:
    return sorted(f"{name} ({how})" for name, how in inputs.items() if name not in added)


def _compare_host_inputs(differences, name, original, host, new, after, plan) -> None:
    """The inputs of the flake that builds the host: a host taken into another flake
    (or its flake rewritten) must still see every input as it was declared."""
    before_file, after_file = _flake_file(host, original), _flake_file(after, new)
    before = getattr(original, "flake_inputs", {}).get(before_file)
    if before is None or before_file == after_file:
        return  # a flake kept in place is compared whole by _compare_flake_inputs
    after_inputs = getattr(new, "flake_inputs", {}).get(after_file, {})
    added = {i for f, i in plan.expected_new_inputs if f == after_file} - set(before)
    _compare(differences, f"host {name}: inputs of its flake ({before_file}, now {after_file})",
             _inputs_label(before, set()), _inputs_label(after_inputs, added))


def _compare_flake_inputs(differences, original, new, plan) -> None:
    """Each flake's inputs, as declared, before and after: only the inputs the plan
    adds on purpose (home-manager) may appear; none may go or change."""
    for file, before in sorted(getattr(original, "flake_inputs", {}).items()):
        after = getattr(new, "flake_inputs", {}).get(file)
        if after is None:
            if any(_flake_file(h, original) == file for h in original.hosts.values()):
                differences.append(f"flake {file}: missing from the planned tree")
            continue
        expected = {i for f, i in plan.expected_new_inputs if f == file}
        added = expected - set(before)
        changed = {n for n in set(before) & set(after)
                   if before[n] != after[n] and not (n in expected and _follows_added(before[n], after[n]))}
        for input_name in sorted(changed):
            differences.append(f"flake {file}: input {input_name} was {before[input_name]}, became {after[input_name]}")
        _compare(differences, f"flake {file}: inputs", sorted(before), sorted(n for n in after if n not in added))


def _follows_added(before: str, after: str) -> bool:
    """HM010 adds `inputs.nixpkgs.follows = "nixpkgs"` to the Home Manager input on purpose."""
    old, new = set(before.split(", ")), set(after.split(", "))
    return old <= new and new - old == {"inputs.nixpkgs.follows=nixpkgs"}


def _channel_module_missing(new, plan) -> list[str]:
    """With --channels keep, a host with Home Manager users must import <home-manager/nixos>
    (the analysis lists lookups of nixpkgs' and channels' modules among no module files)."""
    from migrate.plan.channels_keep import HM_MODULE

    missing = []
    for wiring in plan.wirings:
        host = new.hosts.get(wiring.host)
        if host is None:
            continue
        if not any(literal.kind == "search" and literal.text == HM_MODULE
                   for path in sorted(host.files) if path.endswith(".nix")
                   for literal in new.graph.index_of(path).paths):
            missing.append(f"host {wiring.host}: no module imports {HM_MODULE}, which declares home-manager.users")
    return missing


def _compare_packages(differences, original, new, plan, renamed) -> None:
    """Where Home Manager builds its own packages (useGlobalPkgs = false), each user's
    modules written in flake.nix must set what the old standalone `pkgs` and inline
    modules did: `nixpkgs.config` (the `pkgs` one as a default), `nixpkgs.overlays`,
    and the nixpkgs input (`_module.args.pkgsPath`) when it is not the host's."""
    for wiring in plan.wirings:
        if wiring.use_global_pkgs:
            continue
        host = original.hosts.get(wiring.host)
        for home_name in wiring.replaces:
            home = original.homes[home_name]
            after = next((h for h in new.homes.values() if h.integrated and h.user == home.user
                          and h.host == wiring.host), None)
            if after is None or host is None:
                continue  # reported as not wired
            before = _inline_package_settings(original, home, renamed)
            pkgs = standalone_pkgs(home)
            if pkgs is not None:
                if pkgs.config is not None:
                    before.append(("nixpkgs.config", ("default", fingerprint(pkgs.config, renamed))))
                if pkgs.overlays is not None:
                    before.append(("nixpkgs.overlays", _functions_print(pkgs.overlays, renamed)))
                other_input = pkgs.source is not None and host_nixpkgs(host) not in (None, pkgs.source)
                if other_input and not shares_pkgs(host, home):
                    before.append(("_module.args.pkgsPath", ("input", f"inputs.{pkgs.source}")))
            label = f"{home_name} (as home-manager.users.{home.user} on {wiring.host}): packages"
            _compare(differences, label, sorted(before, key=repr),
                     sorted(_inline_package_settings(new, after, {}), key=repr))


_PACKAGE_OPTIONS = (("nixpkgs", "config"), ("nixpkgs", "overlays"), ("_module", "args", "pkgsPath"))


def _inline_package_settings(analysis, root, renamed) -> list[tuple[str, object]]:
    """(option, fingerprint) of what the root's modules written inline (not in files of
    their own) set under `nixpkgs` and `_module.args.pkgsPath`."""
    graph = analysis.graph
    args = graph.module_args(root)
    found: list[tuple[str, object]] = []
    todo = [(thunk, 0) for thunk, _importer, _conditions in root.entries]
    while todo:
        thunk, depth = todo.pop(0)
        value = unwrap(force(thunk))
        if graph._module_path(value, thunk) is not None:
            continue  # a file of its own (`import ./home.nix` too): compared as a module file
        if isinstance(value, Lambda):
            value = unwrap(force(graph.call_module(value, args, None)))
        if not isinstance(value, AttrSet) or depth > 4:
            continue
        body = value.attrs["config"].force() if "config" in value.attrs and (
            "imports" in value.attrs or "options" in value.attrs) else value
        for path in _PACKAGE_OPTIONS:
            member = _select(body, path)
            if member is None:
                continue
            option = ".".join(path)
            if option == "nixpkgs.overlays":
                found.append((option, _functions_print(member, renamed)))
                continue
            plain = force(member)
            if isinstance(plain, MkOverride) and plain.priority == 1000:
                found.append((option, ("default", fingerprint(plain.value, renamed))))
            else:
                found.append((option, fingerprint(member, renamed)))
        imports = unwrap(force(value.attrs["imports"])) if "imports" in value.attrs else None
        if isinstance(imports, NixList):
            todo.extend((item, depth + 1) for item in imports.items)
    return found


def _select(value, path):
    """The thunk at PATH in a set, None when absent (or not a set on the way)."""
    thunk = None
    for name in path:
        value = unwrap(force(thunk)) if thunk is not None else unwrap(value)
        if not isinstance(value, AttrSet) or name not in value.attrs:
            return None
        thunk = value.attrs[name]
    return thunk


def _functions_print(thunk, renamed):
    """A list of overlays: each function by the file and text that define it."""
    value = unwrap(force(thunk))
    if not isinstance(value, NixList):
        return fingerprint(thunk, renamed)
    prints = []
    for item in value.items:
        function = unwrap(force(item))
        if isinstance(function, Lambda):
            prints.append(("function", renamed.get(function.file, function.file), " ".join(function.node.text().split())))
        else:
            prints.append(fingerprint(item, renamed))
    return ("list", tuple(prints))


def _compare(differences: list[str], label: str, before: list, after: list) -> None:
    if before == after:
        return
    lost = [x for x in before if x not in after]
    gained = [x for x in after if x not in before]
    parts = []
    if lost:
        parts.append("lost " + ", ".join(map(str, lost[:8])) + (" ..." if len(lost) > 8 else ""))
    if gained:
        parts.append("gained " + ", ".join(map(str, gained[:8])) + (" ..." if len(gained) > 8 else ""))
    differences.append(f"{label}: {'; '.join(parts)}")


def _expected_external(name: str, plan) -> bool:
    return any(name == e or name.startswith((e + "/", e + " +", e + ".")) for e in plan.expected_new_externals)


def _without_inputs(fp, names) -> tuple:
    """A fingerprint without the flake inputs NAMES the plan adds (`inherit inputs;`
    passes the flake's whole inputs set, which then holds home-manager too)."""
    if not names or not (isinstance(fp, tuple) and fp[:1] == ("set",) and len(fp) == 2 and isinstance(fp[1], tuple)):
        return fp
    members = tuple(m for m in fp[1] if not (isinstance(m, tuple) and len(m) == 2 and m[0] in names
                                             and m[1] == ("input", f"inputs.{m[0]}")))
    return ("set", tuple((m[0], _without_inputs(m[1], names)) if isinstance(m, tuple) and len(m) == 2 else m
                         for m in members))


def _compare_args(differences, label, before, after, renamed, added=frozenset(), new_inputs=frozenset()) -> None:
    before_attrs = before.attrs if isinstance(before, AttrSet) else {}
    after_attrs = {k: v for k, v in (after.attrs if isinstance(after, AttrSet) else {}).items()
                   if k not in added or k in before_attrs}
    _compare(differences, f"{label} names", sorted(before_attrs), sorted(after_attrs))
    for name in sorted(set(before_attrs) & set(after_attrs)):
        old = fingerprint(before_attrs[name], renamed)
        new = _without_inputs(fingerprint(after_attrs[name], {}), new_inputs)
        if old != new:
            differences.append(f"{label}.{name}: value {_short(old)} became {_short(new)}")


def fingerprint(thunk, renamed: dict, depth: int = 0):
    """A comparable description of a value: scalars, paths (renamed), inputs by name,
    sets by their names and members; deeper structure by where it was written."""
    value = unwrap(force(thunk))
    if value is None or isinstance(value, (bool, int, float, str)):
        return ("value", value)
    if isinstance(value, NixPath):
        return ("path", renamed.get(value.path, value.path) if value.path is not None else None)
    if isinstance(value, External):
        return ("input", value.name)
    if isinstance(value, PkgsInstance):
        return ("pkgs", value.source.name, fingerprint_value(value.args, renamed, depth + 1))
    return fingerprint_value(value, renamed, depth)


def fingerprint_value(value, renamed, depth):
    if isinstance(value, AttrSet) and ("outPath" in value.attrs or "nixosConfigurations" in value.attrs):
        return ("the flake itself",)  # self / outputs: the migration changes them on purpose
    if isinstance(value, AttrSet):
        if depth >= 2:
            return ("set", tuple(sorted(value.attrs)))
        return ("set", tuple((k, fingerprint(value.attrs[k], renamed, depth + 1)) for k in sorted(value.attrs)))
    if isinstance(value, NixList):
        return ("list", len(value.items))
    if value is None:
        return None
    return (type(value).__name__,)


def parse_check(plan) -> list[str]:
    """`nix-instantiate --parse` on every changed .nix file, when Nix is installed."""
    with ParseCheck(plan) as check:
        return check.problems()


class ParseCheck:
    """Nix's own parser over the changed .nix files, started early so that it runs on
    the other core while the planned tree is analysed.

    One process per batch instead of one per file, and the files go to Nix as `--expr`
    arguments, not as temporary files: creating a file costs about half a millisecond on
    some disks, 0.6 s for 1,200 changed files. Nix stops at the first bad expression, so
    only a failing batch is written out and checked again file by file, for messages
    that name the file, line and column. A file too large for one argument, or holding
    a NUL byte (which an argument cannot), or starting with "-", is checked as a file.
    """

    def __init__(self, plan):
        self.plan = plan
        self.binary = shutil.which("nix-instantiate")
        self.paths = sorted(p for p in plan.changed if p.endswith(".nix")) if self.binary else []
        self._tmp = None
        self._written: dict[str, Path] = {}
        self._batches: list[tuple[str, list[str]]] = []
        self._started: list[subprocess.Popen] = []
        self.rejected_before: list[tuple[str, str]] = []  # (old path, Nix's error) as in the repository

    def __enter__(self) -> "ParseCheck":
        if not self.paths:
            return self
        self._batches = _batches(self.paths, self.plan.tree)
        try:
            for batch in self._batches[:_BATCHES_AT_ONCE]:
                self._start_recorded(*batch)
        except BaseException:  # interrupted: `with` calls no __exit__ when __enter__ fails
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        for process in self._started:
            if process.poll() is None:
                process.kill()
            process.wait()
        if self._tmp is not None:
            self._tmp.cleanup()

    def _file(self, path: str) -> Path:
        if path not in self._written:
            if self._tmp is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="hm-migrate-parse-")
            target = Path(self._tmp.name) / f"{len(self._written)}.nix"  # messages are given the repo path back
            target.write_bytes(self.plan.tree[path])
            self._written[path] = target
        return self._written[path]

    def _start(self, how: str, batch: list[str]) -> subprocess.Popen:
        if how == "expr":
            arguments = ["--expr", *(self.plan.tree[p] for p in batch)]
        else:
            arguments = [str(self._file(p)) for p in batch]
        # Parsing reads nothing, but relative paths are made absolute against the working
        # directory: the run's own temporary directory rather than wherever we were started.
        return subprocess.Popen([self.binary, "--parse", *arguments], cwd=tempfile.gettempdir(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _start_recorded(self, how: str, batch: list[str]) -> None:
        with interruptions_held():  # a process started must be in _started, to be stopped
            self._started.append(self._start(how, batch))

    def problems(self) -> list[str]:
        problems = []
        for number, (how, batch) in enumerate(self._batches):
            if number == len(self._started):
                self._start_recorded(how, batch)
            if self._started[number].wait() == 0:
                continue
            for path in batch:
                written = self._file(path)
                message = _nix_parse_error(self.binary, written)
                if message is None:
                    continue
                before = self._original_error(path)
                if before is not None:  # not the migration's doing: say so, and where
                    self.rejected_before.append(before)
                    continue
                problems.append(f"{path}: nix-instantiate --parse: {message.replace(str(written), path)}")
        self.rejected_before.sort()
        return sorted(problems)  # by path, whichever batch found them

    def _original_error(self, path: str) -> Optional[tuple[str, str]]:
        """Nix's error on the file `path` was planned from, as it is in the repository."""
        source = getattr(self.plan.tree, "source", None)  # the repository, for a planned tree
        if source is None:
            return None
        old = next((m.old for m in self.plan.moves if m.new == path), path)
        if not source.is_file(old):
            return None
        target = Path(self._tmp.name) / f"before-{len(self._written)}.nix"
        target.write_bytes(source.read_bytes(old))
        message = _nix_parse_error(self.binary, target)
        return (old, message.replace(str(target), old)) if message else None


_PARSE_BATCH = 2000  # files per process
_BATCHES_AT_ONCE = 8  # started before the analysis; the rest one by one as they are checked
_BATCH_BYTES = 512 * 1024  # of arguments per process; Linux allows 2 MiB with the environment
_LARGEST_ARGUMENT = 100 * 1024  # one argument may not exceed 128 KiB


def _batches(paths: list[str], tree: dict) -> list[tuple[str, list[str]]]:
    """("expr", paths) batches bounded in count and size, then ("file", paths) ones."""
    batches: list[tuple[str, list[str]]] = []
    as_files: list[str] = []
    current: list[str] = []
    size = 0
    for path in paths:
        data = tree[path]
        # An argument starting with "-" is read as an option (`--help` would pass).
        if len(data) > _LARGEST_ARGUMENT or b"\0" in data or data.startswith(b"-"):
            as_files.append(path)
            continue
        if current and (len(current) == _PARSE_BATCH or size + len(data) > _BATCH_BYTES):
            batches.append(("expr", current))
            current, size = [], 0
        current.append(path)
        size += len(data) + 1
    if current:
        batches.append(("expr", current))
    batches += [("file", as_files[i:i + _PARSE_BATCH]) for i in range(0, len(as_files), _PARSE_BATCH)]
    return batches


def _nix_parse_error(binary: str, file: Path) -> Optional[str]:
    """None when Nix parses the file; else its error line with the position Nix gives."""
    result = subprocess.run([binary, "--parse", str(file)], capture_output=True, text=True)
    if result.returncode == 0:
        return None
    lines = [line.strip() for line in result.stderr.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    if not errors:
        return lines[-1] if lines else "parse error"
    where = [line for line in lines if line.startswith("at ")]
    return errors[0] + (f" ({where[0].rstrip(':')})" if where else "")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 160 else text[:157] + "..."
