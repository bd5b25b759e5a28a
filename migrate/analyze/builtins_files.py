"""``builtins.*`` that touch files: all through the evaluator's snapshot and
recorded in ``evaluator.reads``; fetchers return ``External`` and never fetch."""

from __future__ import annotations

import posixpath

from migrate.analyze.primops import (
    PRIMOPS, make_primop, need_set, need_text, primop, reader_path, repo_path_arg, where_of,
)
from migrate.analyze.values import (
    AttrSet, EvalError, External, NixPath, Thunk, Unknown, force, unwrap,
)


# -- files -------------------------------------------------------------------------

@primop("import", 1)
def _import(evaluator, site, target):
    value = unwrap(force(target))
    return evaluator.import_value(value, getattr(site, "src", None), site)


@primop("pathExists", 1)
def _path_exists(evaluator, site, path):
    value = unwrap(force(path))
    if isinstance(value, External):
        return Unknown(f"whether {value.name} exists (outside the repository)", where_of(site))
    repo_path = repo_path_arg(evaluator, Thunk.ready(value), "pathExists", site)
    evaluator.record_read(reader_path(site), repo_path, "pathExists")
    return evaluator.snapshot.exists(repo_path)


@primop("readFile", 1)
def _read_file(evaluator, site, path):
    repo_path = repo_path_arg(evaluator, path, "readFile", site)
    evaluator.record_read(reader_path(site), repo_path, "readFile")
    if not evaluator.snapshot.is_file(repo_path):
        raise EvalError(f"readFile: {repo_path} does not exist in the repository", where_of(site))
    try:
        return evaluator.snapshot.read_bytes(repo_path).decode("utf-8")
    except UnicodeDecodeError:
        return Unknown(f"readFile: {repo_path} is not text", where_of(site))
    except Exception as err:  # a symlink out of the repository
        evaluator.warn(where_of(site), f"readFile: {err}")
        return Unknown(f"readFile: {err}", where_of(site))


@primop("readDir", 1)
def _read_dir(evaluator, site, path):
    repo_path = repo_path_arg(evaluator, path, "readDir", site)
    evaluator.record_read(reader_path(site), repo_path, "readDir")
    if not evaluator.snapshot.is_dir(repo_path):
        raise EvalError(f"readDir: {repo_path or '.'} is not a directory in the repository", where_of(site))
    entries = evaluator.snapshot.listdir(repo_path)
    return AttrSet({name: Thunk.ready(kind) for name, kind in sorted(entries.items())})


@primop("baseNameOf", 1)
def _base_name_of(evaluator, site, path):
    value = unwrap(force(path))
    if isinstance(value, NixPath):
        return posixpath.basename(value.path) if value.path else ""
    text = need_text(evaluator, Thunk.ready(value), "baseNameOf", site)
    return posixpath.basename(text.rstrip("/")) if text.rstrip("/") else ""


@primop("dirOf", 1)
def _dir_of(evaluator, site, path):
    value = unwrap(force(path))
    if isinstance(value, NixPath):
        return NixPath(posixpath.dirname(value.path))
    if isinstance(value, External) and value.is_subpath:
        head, _, _ = value.name.rpartition("/")
        return External(head, value.text, value.where)
    text = need_text(evaluator, Thunk.ready(value), "dirOf", site)
    head = text.rpartition("/")[0] if "/" in text else "."
    return head or "/"


@primop("toPath", 1)
def _to_path(evaluator, site, value):
    return need_text(evaluator, value, "toPath", site)


@primop("path", 1)
def _path(evaluator, site, args):
    return force(need_set(args, "builtins.path", site).attrs.get("path") or Thunk.ready(
        Unknown("builtins.path without path", where_of(site))))


@primop("filterSource", 2)
def _filter_source(evaluator, site, predicate, path):
    return force(path)


def _fetcher(name):
    def fetch(evaluator, site, args):
        value = unwrap(force(args))
        label = value if isinstance(value, str) else None
        if isinstance(value, AttrSet) and isinstance(value.get("url"), str):
            label = value.get("url")
        return External(f"{name}({label})" if label else name, site.source_text() if site else None,
                        where_of(site))
    return fetch


for _name in ("fetchTarball", "fetchGit", "fetchurl", "fetchTree", "fetchMercurial", "getFlake"):
    PRIMOPS[_name] = make_primop(f"builtins.{_name}", 1, _fetcher(_name))
