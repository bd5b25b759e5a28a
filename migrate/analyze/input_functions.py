"""Functions of well-known flake inputs that decide where a flake's configurations are:
flake-parts' `mkFlake`, import-tree, and flake-utils' `eachSystem` family.

An input is recognised by its url (`github:hercules-ci/flake-parts`, `github:vic/import-tree`,
`github:numtide/flake-utils`), or by its usual name when the flake gives no url. Each model
computes what the input's function would return from what the repository wrote, lazily,
so the configurations inside are found and their definitions keep their file:line.
"""

from __future__ import annotations

import posixpath
from typing import Optional

from migrate.analyze.primops import need, reader_path, where_of
from migrate.analyze.values import (
    AttrSet, Builtin, LazyCall, NixList, NixPath, PathString, Thunk, Unknown, force, unwrap,
)

FLAKE_PARTS, IMPORT_TREE, FLAKE_UTILS = "flake-parts", "import-tree", "flake-utils"

_URL_MARKS = {FLAKE_PARTS: "flake-parts", IMPORT_TREE: "import-tree", FLAKE_UTILS: "flake-utils"}
_USUAL_NAMES = {"flake-parts": FLAKE_PARTS, "import-tree": IMPORT_TREE, "flake-utils": FLAKE_UTILS,
                "utils": FLAKE_UTILS}

# flake-utils' `defaultSystems`, in its order.
DEFAULT_SYSTEMS = ("x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin")


def input_kinds(declared: Optional[AttrSet], names) -> dict[str, str]:
    """input name -> kind, for the inputs this module models."""
    kinds: dict[str, str] = {}
    for name in names:
        url = _input_url(declared, name)
        kind = None
        if url is not None:
            kind = next((k for k, mark in _URL_MARKS.items() if mark in url), None)
        elif name in _USUAL_NAMES:
            kind = _USUAL_NAMES[name]
        if kind is not None:
            kinds[name] = kind
    return kinds


def _input_url(declared: Optional[AttrSet], name: str) -> Optional[str]:
    if not isinstance(declared, AttrSet) or name not in declared.attrs:
        return None
    spec = unwrap(declared.attrs[name].force())
    if isinstance(spec, str):  # `inputs.x = "github:...";` is not valid, but harmless to read
        return spec
    if isinstance(spec, AttrSet) and "url" in spec.attrs:
        url = unwrap(spec.attrs["url"].force())
        return url if isinstance(url, str) else None
    return None


def call_input_function(evaluator, name: str, arg: Thunk, site):
    """The modelled result of applying the external `name` (`inputs.flake-parts.lib.mkFlake`),
    or None when it is not a modelled function."""
    parts = name.split(".")
    if len(parts) < 2 or parts[0] != "inputs" or "/" in name:
        return None
    kind = evaluator.input_kinds.get(parts[1])
    rest = ".".join(parts[2:])
    if kind == FLAKE_PARTS and rest == "lib.mkFlake":
        from migrate.analyze.flake_parts import mk_flake
        lib = f"inputs.{parts[1]}.lib"
        return Builtin("mkFlake", 1, lambda ev, call_site, module: mk_flake(ev, arg, module, site, lib))
    if kind == IMPORT_TREE and rest == "":
        return import_tree(evaluator, arg, site)
    if kind == FLAKE_UTILS:
        if rest in ("lib.eachDefaultSystem", "lib.eachDefaultSystemPassThrough"):
            systems = NixList([Thunk.ready(s) for s in DEFAULT_SYSTEMS])
            return each_system(evaluator, systems, arg, site, transpose=not rest.endswith("PassThrough"))
        if rest in ("lib.eachSystem", "lib.eachSystemPassThrough"):
            return Builtin(rest, 1, lambda ev, call_site, fn: each_system(
                ev, force(arg), fn, site, transpose=not rest.endswith("PassThrough")))
    return None


# -- import-tree ---------------------------------------------------------------------------


def import_tree(evaluator, arg: Thunk, site):
    """`import-tree ./modules`: a module importing every .nix file under the folder(s),
    except those with a path component starting with `_` (import-tree's own rule)."""
    value = need(arg, "import-tree", site)
    roots = value.forced() if isinstance(value, NixList) else [value]
    imports: list[Thunk] = []
    for root in roots:
        root = unwrap(root)
        if isinstance(root, PathString):
            root = NixPath(root.path)
        if not isinstance(root, NixPath) or not evaluator.snapshot.is_dir(root.path):
            return Unknown("import-tree of something other than a folder of the repository", where_of(site))
        evaluator.import_trees.add(root.path)
        imports.extend(Thunk.ready(NixPath(p)) for p in _tree_files(evaluator, root.path, reader_path(site)))
    return AttrSet({"imports": Thunk.ready(NixList(imports))})


def _tree_files(evaluator, directory: str, reader: Optional[str]) -> list[str]:
    found = []
    evaluator.record_read(reader, directory, "readDir")
    for name, kind in sorted(evaluator.snapshot.listdir(directory).items()):
        if name.startswith("_"):
            continue
        child = posixpath.join(directory, name) if directory else name
        if kind == "directory":
            found.extend(_tree_files(evaluator, child, reader))
        elif name.endswith(".nix"):
            found.append(child)
    return found


def under_import_tree(path: str, trees) -> bool:
    """Whether import-tree would load PATH as a module of one of the TREES (folders)."""
    for tree in trees:
        if tree and not path.startswith(tree + "/"):
            continue
        rest = path[len(tree) + 1:] if tree else path
        if not any(part.startswith("_") for part in rest.split("/")) and path.endswith(".nix"):
            return True
    return False


# -- flake-utils ---------------------------------------------------------------------------


def each_system(evaluator, systems, fn: Thunk, site, transpose: bool = True):
    """`eachSystem systems (system: { packages = ...; })` gives `{ packages.<system> = ...; }`;
    the PassThrough variants merge the results as they are."""
    from migrate.analyze.primops import apply
    systems = unwrap(systems)
    if not isinstance(systems, NixList):
        return Unknown("flake-utils eachSystem over systems the analysis cannot list", where_of(site))
    names = [unwrap(s) for s in systems.forced()]
    if not all(isinstance(s, str) for s in names):
        return Unknown("flake-utils eachSystem over systems the analysis cannot list", where_of(site))
    results = {s: LazyCall(lambda s=s: apply(evaluator, fn, s, site=site), origin=site) for s in names}
    if not transpose:
        merged: dict[str, Thunk] = {}
        for system in names:
            result = unwrap(results[system].force())
            if isinstance(result, AttrSet):
                for attr, thunk in result.attrs.items():
                    merged.setdefault(attr, thunk)
        return AttrSet(merged)
    by_attr: dict[str, dict[str, Thunk]] = {}
    for system in names:
        result = unwrap(results[system].force())
        if isinstance(result, Unknown):
            return result
        if not isinstance(result, AttrSet):
            return Unknown(f"flake-utils eachSystem: the function returns a {type(result).__name__}", where_of(site))
        for attr, thunk in result.attrs.items():
            by_attr.setdefault(attr, {})[system] = thunk
    return AttrSet({attr: Thunk.ready(AttrSet(per_system)) for attr, per_system in by_attr.items()})
