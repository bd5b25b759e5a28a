"""The whole analysis of one repository snapshot: roots, graphs, attachment, roles."""

from __future__ import annotations

import posixpath
import re
from typing import Optional

from migrate.analyze.attach import attach_homes
from migrate.analyze.discover import Discovery, discover
from migrate.analyze.evaluator import IMPORT, Evaluator
from migrate.analyze.graph import GraphBuilder, Integration, where_parts
from migrate.analyze.host_choice import host_choice
from migrate.analyze.model import Analysis, Root, Warning
from migrate.analyze.values import AttrSet, Lambda, NixPath, PkgsInstance, force, unwrap
from migrate.classify import classify
from migrate.errors import MigrateError
from migrate.nix import query

# An input's NixOS module that is Home Manager's: `<input>.nixosModules.home-manager`, or the
# `default` one of an input named for it (`home-manager`, `home-manager-unstable`, `hm`).
_HM_NIXOS_MODULE = re.compile(r"(?:^|\.)(?:[\w'-]+\.nixosModules\.home-manager"
                              r"|(?:[\w'-]*home-manager[\w'-]*|hm)\.nixosModules\.default)$")


class _Context:
    def __init__(self, snapshot, parsed_before=None):
        self.snapshot = snapshot
        self.warnings: list[Warning] = []
        self._seen: set = set()
        self.evaluator = Evaluator(snapshot, warn=self._evaluator_warning, parsed_before=parsed_before)
        self._indexes: dict[str, query.FileIndex] = {}
        self.host_platforms: dict[str, Optional[str]] = {}  # repo path -> its nixpkgs.hostPlatform
        self.graph = GraphBuilder(self.evaluator, self.index_of, self.warn)

    def warn(self, file: Optional[str], line: Optional[int], message: str) -> None:
        key = (file, line, message)
        if key not in self._seen:
            self._seen.add(key)
            self.warnings.append(Warning(file, line, message))

    def _evaluator_warning(self, where: Optional[str], message: str) -> None:
        file, line = where_parts(where)
        self.warn(file, line, message)

    def index_of(self, path: str) -> query.FileIndex:
        index = self._indexes.get(path)
        if index is None:
            index = self._indexes[path] = query.index_file(self.evaluator.parse(path))
        return index

    def module_value(self, root: Root, path: str, *names: str, wrapped: bool = False):
        """The value a module file sets at NAMES, called with the root's module arguments;
        with WRAPPED, as written (`mkIf`, `mkDefault` kept)."""
        return _module_value(self, root, path, *names, wrapped=wrapped)


def analyze(snapshot, attach: Optional[dict[str, list[str]]] = None, parsed_before=None,
            classify_files: bool = True) -> Analysis:
    """``parsed_before`` (bytes -> NixFile of an earlier analysis) lets files with the
    same bytes share their tree and everything derived from the bytes. Without
    ``classify_files`` the roots are analysed but not each file's role (``files`` and
    ``flake_level`` stay empty): verification compares roots only."""
    ctx = _Context(snapshot, parsed_before)
    found = discover(ctx.evaluator, snapshot, ctx.warn)
    ctx.graph.missing_breaks_homes = found.layout != "channels"
    integrations: dict[int, Integration] = {}
    for host in found.hosts.values():
        host.entries = found.entries[id(host)]
        integrations[id(host)] = ctx.graph.walk(host, host.entries)
    for home in list(found.homes.values()):
        home.entries = found.entries[id(home)]
        ctx.graph.walk(home, home.entries)
    for root in [*found.hosts.values(), *found.homes.values()]:
        _canonical_files(snapshot, root)
    choices = {}
    if found.layout == "channels":
        choices = _host_choices(ctx, found)
        _name_channel_roots(ctx, found, choices)
    for host in list(found.hosts.values()):
        _add_integrated_users(ctx, found, host, integrations[id(host)])
        host.nixpkgs_pkgs = _given_pkgs(host) + integrations[id(host)].nixpkgs_pkgs
        host.hm_settings = integrations[id(host)].settings
    for home in found.homes.values():
        if home.integrated:
            _canonical_files(snapshot, home)
    for host in found.hosts.values():
        if host.system is None:
            host.system = _host_platform(ctx, host) or _pkgs_system(host)
    analysis = Analysis(layout=found.layout, hosts=found.hosts, homes=found.homes, files={},
                        warnings=ctx.warnings, notes=list(found.notes))
    analysis.flake_inputs = found.flake_inputs
    analysis.flake_outputs = found.flake_outputs
    analysis.evaluator = ctx.evaluator
    analysis.graph = ctx.graph  # the planner evaluates dynamic path literals per root with it
    attach_homes(ctx, analysis, attach or {}, ctx.warn)
    _leave_out_unreadable(found, ctx.warn)
    # Already migrated: Home Manager runs as a NixOS module, and no standalone configuration
    # is left for a host of the repository (nor waits for --attach).
    runs_home_manager = any(h.integrated for h in list(found.homes.values()) + list(found.hosts.values()))
    if runs_home_manager and not any(h.hosts or h.ambiguous for h in found.homes.values() if not h.integrated):
        analysis.layout = "already-migrated"
    flake_level: set[str] = set()
    files: dict = {}
    unparsable: dict[str, str] = {}
    if classify_files:
        unparsable = _unparsable_files(ctx, snapshot, found)
        flake_level = _flake_level(ctx, found)
        entry_of_host = {h.name: snapshot.resolve(e) or e for h in found.hosts.values()
                         if (e := _entry_file(ctx, found, h))}
        files = classify(
            snapshot.nix_files(), found.hosts, found.homes, flake_level, entry_of_host,
            lambda path: _namespaces(ctx, path) if path not in unparsable else [],
            unparsable,
        )
    for warning in ctx.warnings:
        if warning.file in files:
            files[warning.file].unknowns.append(f"line {warning.line}: {warning.message}" if warning.line else warning.message)
    for name in found.darwin:
        ctx.warn(found.darwin_flakes.get(name, "flake.nix"), None,
                 f"darwinConfigurations.{name} is left as it is (nix-darwin is out of scope)")
    analysis.files = files
    analysis.flake_level = flake_level
    analysis.unparsable = unparsable
    analysis.host_choices = {host.name: choice for host, choice in choices.values()}
    return analysis


def _unparsable_files(ctx: _Context, snapshot, found: Discovery) -> dict[str, str]:
    """Files that are not valid Nix (path -> why), carried as they are. Most are work in
    progress or secrets still encrypted, and no configuration reads them. A module of a
    root leaves that root out of the migration (the graph recorded it); one that an
    evaluation imported as a value is the user's bug, and the run stops on it."""
    importer_of: dict[str, str] = {}
    for reader, path, kind in ctx.evaluator.reads:
        if kind == IMPORT:
            importer_of.setdefault(path, reader or "flake.nix")
    modules = {path for root in [*found.hosts.values(), *found.homes.values()] for path in root.files}
    found_files = {}
    for path in snapshot.nix_files():
        error = ctx.evaluator.parse_error(path)
        if error is None:
            continue
        if path in modules:  # that root is left out (_leave_out_unreadable), the file carried
            found_files[path] = re.sub(r"^:(\d+:\d+:)?\s*", "", str(error).removeprefix(path))
            continue
        if path in importer_of:
            raise MigrateError(f"{error}; {importer_of[path]} imports it: fix the file (`nix-instantiate --parse "
                               f"{path}` shows Nix's own message) or remove the import, and run again")
        found_files[path] = re.sub(r"^:(\d+:\d+:)?\s*", "", str(error).removeprefix(path))
        line = getattr(error, "line", None)
        ctx.warn(path, line, f"not valid Nix ({found_files[path]}), and no configuration imports it: carried as it is")
    return found_files


def _namespaces(ctx: _Context, path: str) -> list[str]:
    try:
        nix = ctx.evaluator.parse(path)
        found = nix.derived.get("namespaces")
        if found is None:
            found = nix.derived["namespaces"] = [".".join(n) for n in query.option_namespaces(nix)]
        return list(found)
    except MigrateError:
        raise
    except Exception as exc:  # a query bug must not hide the rest of the analysis
        ctx.warn(path, None, f"option namespaces not read: {exc}")
        return []


def _entry_file(ctx, found: Discovery, root: Root) -> Optional[str]:
    for thunk, _importer, _conditions in found.entries.get(id(root), []):
        value = force(thunk)
        if isinstance(value, NixPath):
            return ctx.evaluator.resolve_import(value.path)
    return None


def _canonical_files(snapshot, root: Root) -> None:
    """Key ROOT's files by the file each name reads: Nix reads `./host/x.nix` through
    the folder symlink `host -> hosts/laptop`, and hosts/laptop/x.nix is the file that is
    used (its role, its edits, where it moves), not a second one."""
    renamed = {path: real for path in root.files if (real := snapshot.resolve(path)) not in (None, path)}
    if not renamed:
        return
    files = {}
    for path, reach in root.files.items():
        real = renamed.get(path, path)
        for edge in reach.edges:
            edge.importer = renamed.get(edge.importer, edge.importer)
        reach.chain = tuple(renamed.get(p, p) for p in reach.chain)
        known = files.get(real)
        if known is None:
            files[real] = reach
            continue
        known.edges.extend(reach.edges)
        known.unconditional = known.unconditional or reach.unconditional
    root.files = files


# -- channels: name the roots after what the configuration says -------------------------


def _module_value(ctx, root: Root, path: str, *names: str, wrapped: bool = False):
    module = ctx.evaluator.eval_file(path)
    args = ctx.graph.module_args(root)
    if isinstance(module, Lambda):
        module = ctx.graph.call_module(module, args, None)
    value = ctx.evaluator.select(module, *names, default=None)
    if value is None:
        return None
    return force(value) if wrapped else unwrap(value)


def _host_choices(ctx, found: Discovery) -> dict:
    """id(host) -> (host, HostChoice) for the hosts that pick their machine by a symlink
    or a copy (see host_choice.py)."""
    reached = {path for root in [*found.hosts.values(), *found.homes.values()] for path in root.files}
    choices = {}
    for host in found.hosts.values():
        entries = [value.path for thunk, _importer, _conditions in found.entries[id(host)]
                   if isinstance(value := force(thunk), NixPath) and value.path is not None]
        choice = host_choice(ctx.snapshot, ctx.index_of, host.files, reached, entries)
        if choice is not None:
            choices[id(host)] = (host, choice)
    return choices


def _host_name(ctx, found: Discovery, host: Root, choice) -> tuple[Optional[str], Optional[str]]:
    """The name a channels host goes by, and where it was read: networking.hostName of
    its entry (evaluated), else the one plain string its other files set, else the
    folder of the machine a symlink or copy picks among others."""
    entry = _entry_file(ctx, found, host)
    name = _module_value(ctx, host, entry, "networking", "hostName") if entry else None
    if isinstance(name, str) and name:
        return name, entry
    named = {}
    for path in sorted(host.files):
        attrs = query.module_attrs(ctx.evaluator.parse(path)) if path.endswith(".nix") else None
        value = query.string_binding(attrs, ("networking", "hostName"))
        if value:
            named.setdefault(value, path)
    if len(named) == 1:
        return next(iter(named.items()))
    if choice is not None and choice.chosen and len(choice.machines) >= 2:
        return posixpath.basename(choice.chosen), None
    return None, None


def _name_channel_roots(ctx, found: Discovery, choices: dict) -> None:
    for host in list(found.hosts.values()):
        entry = _entry_file(ctx, found, host)
        choice = choices.get(id(host), (None, None))[1]
        name, _where = _host_name(ctx, found, host, choice)
        if name and name not in found.hosts:
            del found.hosts[host.name]
            host.name = name
            found.hosts[name] = host
            if _where is None:
                ctx.warn(entry, None, f"networking.hostName is not set to a plain string: the host is called "
                                      f"'{name}', after the folder the {choice.kind} picks ({choice.chosen})")
        elif name and name != host.name:
            ctx.warn(entry, None, f"networking.hostName {name} is another host's too: this one is called '{host.name}'")
        elif not name:
            ctx.warn(entry, None, f"networking.hostName is not set to a plain string: the host is called '{host.name}'")
    users = {}
    for home in found.homes.values():
        entry = _entry_file(ctx, found, home)
        user = _module_value(ctx, home, entry, "home", "username") if entry else None
        if isinstance(user, str) and user:
            users[home.name] = user
            continue
        # `home-manager switch` ran as $USER: with one host, its one normal user.
        normal = _normal_users(ctx, next(iter(found.hosts.values()))) if len(found.hosts) == 1 else []
        if len(normal) == 1:
            users[home.name] = normal[0]
            ctx.warn(entry, None, f"home.username is not set to a plain string: the user is taken to be {normal[0]}, "
                                  "the one normal user of the host (Home Manager ran as $USER)")
        else:
            ctx.warn(entry, None, "home.username is not set to a plain string: set it to the user that runs "
                                  "`home-manager switch`, and run again")
    for home in list(found.homes.values()):
        user = users.get(home.name)
        if user is None:
            continue
        home.user = user
        # Homes of one user (one per machine) keep their paths as names, to tell them apart.
        if list(users.values()).count(user) == 1 and user not in found.homes:
            del found.homes[home.name]
            home.name = user
            found.homes[user] = home


def _normal_users(ctx, host: Root) -> list[str]:
    """The users.users.<name> the host's files set isNormalUser = true for, as written."""
    names = set()
    for path in host.files:
        module = query.module_attrs(ctx.evaluator.parse(path)) if path.endswith(".nix") else None
        if module is None or "isNormalUser" not in ctx.evaluator.parse(path).text:
            continue
        for found_path, binding in query.lookup_all(module, ("users", "users")):
            if len(found_path) == 4 and found_path[3] == "isNormalUser" and binding.value.text().strip() == "true":
                names.add(found_path[2])
    return sorted(names)


# -- Home Manager already running as a NixOS module --------------------------------------


def _add_integrated_users(ctx, found: Discovery, host: Root, integration: Integration) -> None:
    for user, definitions in integration.users.items():
        first_where = definitions[0][1] if definitions else host.where
        name = f"{user}@{host.name}"
        if name in found.homes:  # a standalone `user@host` left over beside it keeps its key
            name = f"{name} (NixOS module)"
        home = Root(kind="home", name=name, where=first_where, user=user, host=host.name,
                    hosts=[host.name], integrated=True, args=AttrSet(dict(integration.extra_special_args)))
        home.attach_reason = "already a Home Manager user of this host"
        entries = []
        for thunk, where in definitions:
            file, _ = where_parts(where)
            entries.append((thunk, file or host.where, ()))
        for shared in integration.shared_modules:
            file, _ = where_parts(shared.where())
            entries.append((shared, file or host.where, ()))
        home.entries = entries
        ctx.graph.walk(home, entries)
        found.homes[home.name] = home
        if user not in host.users:
            host.users.append(user)
    if any(_HM_NIXOS_MODULE.search(text) for text in host.external_modules):
        host.integrated = True


def _host_platform(ctx, host: Root) -> Optional[str]:
    """`nixpkgs.hostPlatform` from the host's modules, when the flake does not pass `system`."""
    for path in sorted(host.files):
        # Read from the source alone, so once per file however many hosts reach it.
        if path in ctx.host_platforms:
            text = ctx.host_platforms[path]
        else:
            text = ctx.host_platforms[path] = _file_host_platform(ctx, path)
        if text:
            return text
    return None


def _given_pkgs(host: Root) -> list:
    """`nixosSystem { pkgs = ...; }`: nixpkgs' eval-config.nix sets `nixpkgs.pkgs` to it,
    which makes that package set the host's `pkgs` (with the host's nixpkgs.overlays on top)."""
    args = getattr(host.call, "args", None) if host.call is not None else None
    return [args.attrs["pkgs"]] if isinstance(args, AttrSet) and "pkgs" in args.attrs else []


def _pkgs_system(host: Root) -> Optional[str]:
    """The `system` of the package set a host builds with (`nixpkgs.pkgs = pkgs` from
    flake-parts' withSystem, or `import nixpkgs { system = ...; }`)."""
    for thunk in host.nixpkgs_pkgs:
        pkgs = unwrap(thunk.force())
        args = pkgs.args if isinstance(pkgs, PkgsInstance) else None
        system = unwrap(args.attrs["system"].force()) if isinstance(args, AttrSet) and "system" in args.attrs else None
        if isinstance(system, str):
            return system
    return None


def _file_host_platform(ctx, path: str) -> Optional[str]:
    try:
        index = ctx.index_of(path)
    except MigrateError:
        return None
    if index.body is None or index.body.kind() != "NODE_ATTR_SET":
        return None
    node = query.find_binding(index.body, ("nixpkgs", "hostPlatform"), index.file)
    if node is None:
        return None
    function, args = query.apply_spine(node)
    candidate = args[-1] if args else function
    candidate = query.unparen(candidate)
    if candidate.kind() == "NODE_ATTR_SET":
        candidate = query.find_binding(candidate, ("system",))
    text = query.string_constant(candidate) if candidate is not None and candidate.kind() == "NODE_STRING" else None
    return text or None


# -- roots that cannot be read as they are ---------------------------------------------


def _leave_out_unreadable(found: Discovery, warn) -> None:
    """A host or home that imports a module that cannot be read does not build today:
    it stays as it is (its homes standalone), and the others migrate."""
    for root in [*found.hosts.values(), *found.homes.values()]:
        for message in root.unreadable:
            warn(None, None, f"{message}: {root.label} does not build as it is, so it is left as it is; "
                             "fix the file and run again to migrate it")
    # Another home of the same user on that host (a rescue profile beside the main one)
    # does not take the broken one's place: the host's user stays as it is.
    broken_users = {(home.user, name) for home in found.homes.values() if home.unreadable and not home.integrated
                    for name in home.hosts + home.attach_candidates}
    for home in found.homes.values():
        if home.integrated:
            continue
        if home.unreadable and home.ambiguous:
            home.ambiguous, home.attach_candidates = False, []
            home.attach_reason = "it imports a module that cannot be read: stays a standalone configuration"
            continue
        broken = [name for name in home.hosts if found.hosts[name].unreadable or (home.user, name) in broken_users]
        if not broken:
            continue
        home.hosts = [name for name in home.hosts if name not in broken]
        home.host = home.hosts[0] if len(home.hosts) == 1 else None
        for name in broken:
            if home.user in found.hosts[name].users:
                found.hosts[name].users.remove(home.user)
        if home.unreadable:
            why = "it imports a module that cannot be read"
        elif any(found.hosts[name].unreadable for name in broken):
            why = f"host {', '.join(broken)} imports a module that cannot be read"
        else:
            why = f"another home of user {home.user} on {', '.join(broken)} imports a module that cannot be read"
        home.attach_reason = f"{why}: stays a standalone configuration"


# -- files the flake evaluates itself ------------------------------------------------------


def _flake_level(ctx, found: Discovery) -> set[str]:
    if found.layout == "channels":
        return set()
    module_reached = {
        path for root in list(found.hosts.values()) + list(found.homes.values())
        for path, reach in root.files.items() if any(e.kind == "module" for e in reach.edges)
    }
    level = set(found.flake_inputs) or {"flake.nix"}
    scanned: set[str] = set()
    changed = True
    while changed:
        changed = False
        for reader, path, kind in ctx.evaluator.reads:
            if reader in level and kind in ("import", "readFile") and path.endswith(".nix") \
                    and path not in level and path not in module_reached:
                level.add(path)
                changed = True
        for path in sorted(level - scanned):
            scanned.add(path)
            for target, _where, _conditions in ctx.graph.value_references(path, None):
                if target not in level and target not in module_reached:
                    level.add(target)
                    changed = True
    return level
