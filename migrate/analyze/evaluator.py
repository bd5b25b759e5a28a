"""A lazy evaluator for the Nix subset dotfiles repositories use.

Usage::

    ev = Evaluator(snapshot, warn=lambda where, message: ...)
    flake = ev.eval_file("flake.nix")            # AttrSet {description, inputs, outputs}
    outputs = ev.flake_outputs("flake.nix")       # outputs called with inputs as Externals
    home = ev.select(outputs, "homeConfigurations", "martin@ripper")   # SystemCall(kind="home")
    module = ev.call(ev.eval_file("home.nix"), {"lib": ev.lib, "config": Unknown("config")})

Every file is parsed once per evaluator (``files``) and its top-level value
computed once; every file the user's code reads is listed in ``reads``.
Nothing the user's code does raises: undecidable or failing parts become
``Unknown`` values (and, for analysis gaps, a warning with file:line:col).
Only direct requests for an unreadable file (``eval_file`` on a missing file
or a syntax error) raise ``MigrateError``.
"""

from __future__ import annotations

import posixpath
import sys
from contextlib import contextmanager
from typing import Callable, Iterable, Optional, Union

from migrate.analyze import operations
from migrate.analyze.builtins import global_env
from migrate.analyze.expressions import make_expr
from migrate.analyze.input_functions import input_kinds
from migrate.analyze.lib_model import LIB
from migrate.analyze.operations import MISSING
from migrate.analyze.scope import Env, Source
from migrate.analyze.values import (
    AttrSet, EvalError, External, LazyCall, NixList, NixPath, PathString, PkgsInstance,
    Thunk, Unknown, as_thunk, force, unwrap,
)
from migrate.errors import MigrateError
from migrate.nix.parse import NixFile, parse_bytes
from migrate.snapshot import Snapshot, join, normalize

_MAX_LINKS = 40  # as Snapshot.resolve

# Deeply nested configurations recurse deeply in Python; the evaluator's own
# call-depth limit keeps well below this.
_RECURSION_LIMIT = 20000
if sys.getrecursionlimit() < _RECURSION_LIMIT:
    sys.setrecursionlimit(_RECURSION_LIMIT)

IMPORT, READ_FILE, READ_DIR, PATH_EXISTS = "import", "readFile", "readDir", "pathExists"


class Evaluator:
    """Evaluates files of one repository ``snapshot``.

    ``warn(where, message)`` receives each analysis warning once (``where`` is
    ``file:line:col`` or None); they are also collected in ``warnings``.
    Attributes: ``files`` (repo path -> ``NixFile`` of every parsed file),
    ``reads`` (``(reader_path, read_path, kind)`` for every file or directory
    the code read, kind ``import``/``readFile``/``readDir``/``pathExists``),
    ``lib`` (the model of nixpkgs ``lib`` to pass as a module argument).
    """

    def __init__(self, snapshot: Snapshot, warn: Optional[Callable[[Optional[str], str], None]] = None,
                 parsed_before: Optional[dict[bytes, NixFile]] = None):
        self.snapshot = snapshot
        self.parsed_before = parsed_before  # bytes -> a file parsed by an earlier analysis
        self._warn = warn
        self.warnings: list[tuple[Optional[str], str]] = []
        self._warned: set = set()
        self.files: dict[str, NixFile] = {}
        self._failed_parses: dict[str, MigrateError] = {}  # path -> why it could not be parsed
        self._imports: dict[str, Optional[str]] = {}  # resolve_import answers
        self.reads: list[tuple[str, str, str]] = []
        self._read_set: set = set()
        self._sources: dict[str, Source] = {}
        self._file_values: dict[str, Thunk] = {}
        self.call_depth = 0
        self.lib = LIB
        # Functions of flake inputs the analysis evaluates itself (snowfall-lib's mkFlake):
        # External name -> fn(evaluator, call site, argument thunk).
        self.special_functions: dict[str, Callable] = {}
        self.notes: list[str] = []  # what such a function learnt that the report should say
        self.outputs_of: dict = {}  # flake file -> the outputs its roots were found in
        self.input_kinds: dict[str, str] = {}  # flake input -> the kind of input_functions models
        self.import_trees: set[str] = set()  # folders loaded with import-tree
        self.flake_parts: list = []  # the FlakeParts evaluations (mkFlake calls) met

    # -- messages and bookkeeping ----------------------------------------------------

    def warn(self, where: Optional[str], message: str) -> None:
        key = (where, message)
        if key in self._warned:
            return
        self._warned.add(key)
        self.warnings.append(key)
        if self._warn is not None:
            self._warn(where, message)

    @contextmanager
    def quietly(self):
        """Evaluate without reporting warnings: for callers whose questions are
        not gaps of the analysis (a rule probing a value). Warnings raised inside
        are forgotten, so the same gap met later by the analysis is still reported."""
        saved = (self._warn, len(self.warnings), set(self._warned))
        self._warn = None
        try:
            yield self
        finally:
            self._warn, count, self._warned = saved
            del self.warnings[count:]

    def record_read(self, reader: Optional[str], path: str, kind: str) -> None:
        key = (reader or "", path, kind)
        if key not in self._read_set:
            self._read_set.add(key)
            self.reads.append(key)

    # -- files --------------------------------------------------------------------------

    def parse(self, path: str) -> NixFile:
        """The parsed file at repo ``path`` (cached); raises ``MigrateError``
        when it is missing, unreadable or not valid Nix."""
        nix = self.files.get(path)
        if nix is not None:
            return nix
        failed = self._failed_parses.get(path)
        if failed is not None:
            # Asked again after a caller moved past the error: the answer stands, and a
            # file that is slow to refuse (deep nesting) is not parsed twice.
            raise failed
        if not self.snapshot.is_file(path):
            raise MigrateError(f"{path}: no such file in the repository")
        data = self.snapshot.read_bytes(path)
        earlier = self.parsed_before.get(data) if self.parsed_before else None
        try:
            nix = earlier.at(path) if earlier is not None else parse_bytes(data, path)
        except MigrateError as error:
            self._failed_parses[path] = error
            raise
        self.files[path] = nix
        return nix

    def parse_error(self, path: str) -> Optional[MigrateError]:
        """Why the file at repo ``path`` cannot be parsed, or None when it can."""
        try:
            self.parse(path)
        except MigrateError as error:
            return error
        return None

    def source(self, path: str) -> Source:
        src = self._sources.get(path)
        if src is None:
            src = self._sources[path] = Source(self, self.parse(path), path)
        return src

    def resolve_import(self, path: str) -> Optional[str]:
        """The file ``import`` reads for repo ``path`` (a directory means its
        ``default.nix``), or None when there is none."""
        # Asked again for every root that reaches an import; the snapshot never changes.
        try:
            return self._imports[path]
        except KeyError:
            pass
        target = self._through_final_links(path)
        if target is not None and self.snapshot.is_dir(target):
            target = posixpath.join(target, "default.nix") if target else "default.nix"
        found = self._imports[path] = target if target is not None and self.snapshot.is_file(target) else None
        return found

    def _through_final_links(self, path: str) -> Optional[str]:
        """PATH with the symlink it ends in followed, as Nix does before reading a file
        (so that the relative paths of a linked `configuration.nix` are read from where it
        really is); folders on the way stay as written, as in Nix. None for a link that
        leaves the repository or loops."""
        snapshot = self.snapshot
        for _ in range(_MAX_LINKS):
            parent, _, name = path.rpartition("/")
            real_parent = snapshot.resolve(parent) if parent else ""
            if real_parent is None:
                return None
            real = f"{real_parent}/{name}" if real_parent else name
            if not snapshot.is_symlink(real):
                return path
            target = snapshot.link_target(real)
            path = join(parent, target) if not target.startswith("/") else None
            if path is None:
                return None
        return None

    def eval_file(self, path: str):
        """The value of the file at repo ``path`` (a directory: its default.nix).
        Raises ``MigrateError`` (``NixSyntaxError``...) for a file that cannot be read."""
        normalized = normalize(path)
        if normalized is None:
            raise MigrateError(f"{path}: outside the repository")
        target = self.resolve_import(normalized)
        if target is None:
            raise MigrateError(f"{path}: no such file in the repository")
        return self._file_thunk(target).force()

    def _file_thunk(self, path: str) -> Thunk:
        thunk = self._file_values.get(path)
        if thunk is None:
            src = self.source(path)
            thunk = Thunk(make_expr(src.nix.expression, src), global_env())
            self._file_values[path] = thunk
        return thunk

    def import_value(self, target, reader: Optional[Source], site=None):
        """``import target`` from user code: never raises."""
        target = unwrap(target)
        where = site.where() if site is not None else None
        reader_path = reader.path if reader is not None else None
        if isinstance(target, PathString):
            target = operations.path_string_to_path(target) or target
        if isinstance(target, NixPath):
            file_path = self.resolve_import(target.path)
            if file_path is None:
                self.warn(where, f"import of {target.to_string()}: no such file in the repository")
                return Unknown(f"import of missing file {target.to_string()}", where)
            self.record_read(reader_path, file_path, IMPORT)
            try:
                thunk = self._file_thunk(file_path)
            except MigrateError as err:
                self.warn(where, f"imported file cannot be read: {err}")
                return Unknown(str(err), where)
            return thunk.force()
        if isinstance(target, External):
            if target.is_subpath or target.name.startswith(("/", "~")):
                return External(target.name, target.text, target.where or where, imported=True)
            return PkgsInstance(target, None, where)
        if isinstance(target, Unknown):
            return target.plain()
        if isinstance(target, str):
            self.warn(where, f"import of {target!r} outside the repository is not followed")
            return External(target, None, where, imported=True)
        return Unknown(f"import of a {type(target).__name__}", where)

    # -- evaluation API --------------------------------------------------------------------

    def eval_expr(self, node, env: Union[Env, dict, None] = None, file: Union[str, NixFile, None] = None):
        """Evaluate syntax ``node`` of repo file ``file`` (path or ``NixFile``)
        in ``env``: an ``Env``, a dict of name -> value, or None (builtins only)."""
        if isinstance(file, NixFile):
            self.files.setdefault(file.path, file)
            src = self._sources.get(file.path) or Source(self, file, file.path)
            self._sources.setdefault(file.path, src)
        else:
            src = self.source(file)
        if env is None:
            env = global_env()
        elif isinstance(env, dict):
            env = Env({name: as_thunk(value) for name, value in env.items()}, global_env())
        return Thunk(make_expr(node, src), env).force()

    def force(self, value):
        """``value`` in weak head normal form."""
        return force(value)

    def force_deep(self, value, depth: int = 32):
        """Force ``value`` and, up to ``depth`` levels, everything inside it; returns the value."""
        value = force(value)
        if depth <= 0:
            return value
        if isinstance(value, NixList):
            for item in value.items:
                self.force_deep(item, depth - 1)
        elif isinstance(value, AttrSet):
            for thunk in value.attrs.values():
                self.force_deep(thunk, depth - 1)
        return value

    def call(self, fn, *args):
        """Apply ``fn`` to ``args`` (values, thunks, or dicts turned into sets)."""
        result = force(fn)
        for arg in args:
            if isinstance(arg, dict):
                arg = AttrSet({name: as_thunk(value) for name, value in arg.items()})
            result = self._guard(lambda: operations.call(self, result, as_thunk(arg), None))
        return result

    def select(self, value, *names: str, default=MISSING):
        """``value.a.b...``: the forced value; ``default`` (or an Unknown)
        when an attribute is missing."""
        value = force(value)
        for name in names:
            found = self._guard(lambda: operations.lookup(value, name))
            if found is MISSING:
                return default if default is not MISSING else Unknown(f"attribute '{name}' missing")
            value = force(found)
        return value

    def _guard(self, compute):
        try:
            return compute()
        except EvalError as err:
            return Unknown(err.reason, err.where, thrown=err.thrown)
        except RecursionError:
            return Unknown("evaluation nested too deeply")
        except MigrateError:
            raise
        except Exception as exc:  # an evaluator bug must not stop the analysis
            message = f"analysis error ({type(exc).__name__}: {exc})"
            self.warn(None, message)
            return Unknown(message)

    # -- flakes -------------------------------------------------------------------------

    def flake_inputs(self, names: Iterable[str]) -> AttrSet:
        """An inputs set whose members are ``External("inputs.<name>")``."""
        return AttrSet({name: Thunk.ready(External(f"inputs.{name}")) for name in names})

    def flake_outputs(self, path: str = "flake.nix"):
        """Call the flake's ``outputs`` with its inputs as ``External`` values
        and ``self`` as the outputs plus ``outPath`` (the flake directory)."""
        flake = self.eval_file(path)
        if not isinstance(flake, AttrSet) or "outputs" not in flake:
            return Unknown(f"{path} has no outputs attribute", path)
        outputs_fn = flake["outputs"]
        names = set()
        declared = self._guard(lambda: flake.get("inputs"))
        if isinstance(declared, AttrSet):
            names.update(declared.attrs)
        formals = getattr(outputs_fn, "formals", None)
        if formals:
            names.update(formals)
        names.discard("self")
        self.input_kinds = input_kinds(declared if isinstance(declared, AttrSet) else None, names)
        inputs = self.flake_inputs(sorted(names))
        directory = posixpath.dirname(path)
        outputs_thunk = LazyCall(lambda: self.call(outputs_fn, inputs))
        self_thunk = LazyCall(self._flake_self, outputs_thunk, inputs, directory)
        inputs.attrs["self"] = self_thunk
        outputs = outputs_thunk.force()
        self.outputs_of[path] = outputs  # the values the roots met: the planner names them by place
        return outputs

    def _flake_self(self, outputs_thunk: Thunk, inputs: AttrSet, directory: str):
        outputs = outputs_thunk.force()
        attrs = dict(outputs.attrs) if isinstance(outputs, AttrSet) else {}
        attrs["outPath"] = Thunk.ready(NixPath(directory))
        attrs["inputs"] = Thunk.ready(inputs)
        attrs["outputs"] = outputs_thunk
        if getattr(outputs, "missing", None) is not None:
            return _SelfSet(attrs, outputs)
        return AttrSet(attrs)


class _SelfSet(AttrSet):
    """`self` of a flake whose outputs compute some names on demand (flake-parts'
    perSystem outputs): the outputs' own lookup answers the names `self` does not copy."""

    __slots__ = ("outputs",)

    def __init__(self, attrs: dict, outputs: AttrSet):
        super().__init__(attrs)
        self.outputs = outputs

    def missing(self, name: str):
        return self.outputs.missing(name)
