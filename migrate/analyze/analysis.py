"""The whole analysis of one repository snapshot: roots, graphs, attachment, roles."""

from __future__ import annotations

import posixpath
from typing import Optional

from migrate.analyze.discover import Discovery, discover
from migrate.analyze.evaluator import Evaluator
from migrate.analyze.graph import GraphBuilder, Integration, where_parts
from migrate.analyze.model import Analysis, Root, Warning
from migrate.analyze.values import AttrSet, Lambda, NixPath, PkgsInstance, force, unwrap
from migrate.classify import classify
from migrate.errors import MigrateError
from migrate.nix import query

_HM_NIXOS_MODULE_SUFFIXES = (".nixosModules.home-manager", ".nixosModules.default")


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


def analyze(snapshot, attach: Optional[dict[str, list[str]]] = None, parsed_before=None,
            classify_files: bool = True) -> Analysis:
    """``parsed_before`` (bytes -> NixFile of an earlier analysis) lets files with the
    same bytes share their tree and everything derived from the bytes. Without
    ``classify_files`` the roots are analysed but not each file's role (``files`` and
    ``flake_level`` stay empty): verification compares roots only."""
    ctx = _Context(snapshot, parsed_before)
    found = discover(ctx.evaluator, snapshot, ctx.warn)
    integrations: dict[int, Integration] = {}
    for host in found.hosts.values():
        host.entries = found.entries[id(host)]
        integrations[id(host)] = ctx.graph.walk(host, host.entries)
    for home in list(found.homes.values()):
        home.entries = found.entries[id(home)]
        ctx.graph.walk(home, home.entries)
    if found.layout == "channels":
        _name_channel_roots(ctx, found)
    for host in list(found.hosts.values()):
        _add_integrated_users(ctx, found, host, integrations[id(host)])
        host.nixpkgs_pkgs = integrations[id(host)].nixpkgs_pkgs
    for host in found.hosts.values():
        if host.system is None:
            host.system = _host_platform(ctx, host) or _pkgs_system(host)
    _attach(found, attach or {}, ctx.warn, _configured_usernames(ctx, found))
    layout = found.layout
    if any(h.integrated for h in found.homes.values()) and not any(
        h.hosts for h in found.homes.values() if not h.integrated
    ):
        layout = "already-migrated"
    flake_level: set[str] = set()
    files: dict = {}
    if classify_files:
        flake_level = _flake_level(ctx, found)
        entry_of_host = {h.name: e for h in found.hosts.values() if (e := _entry_file(ctx, found, h))}
        files = classify(
            snapshot.nix_files(), found.hosts, found.homes, flake_level, entry_of_host,
            lambda path: _namespaces(ctx, path),
        )
    for warning in ctx.warnings:
        if warning.file in files:
            files[warning.file].unknowns.append(f"line {warning.line}: {warning.message}" if warning.line else warning.message)
    for name in found.darwin:
        ctx.warn("flake.nix", None, f"darwinConfigurations.{name} is left as it is (nix-darwin is out of scope)")
    analysis = Analysis(layout=layout, hosts=found.hosts, homes=found.homes, files=files,
                        warnings=ctx.warnings, flake_level=flake_level)
    analysis.evaluator = ctx.evaluator
    analysis.graph = ctx.graph  # the planner evaluates dynamic path literals per root with it
    return analysis


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


# -- channels: name the roots after what the configuration says -------------------------


def _module_value(ctx, root: Root, path: str, *names: str):
    module = ctx.evaluator.eval_file(path)
    args = ctx.graph.module_args(root)
    if isinstance(module, Lambda):
        module = ctx.graph.call_module(module, args, None)
    value = ctx.evaluator.select(module, *names, default=None)
    value = unwrap(value) if value is not None else None
    return value


def _name_channel_roots(ctx, found: Discovery) -> None:
    for host in list(found.hosts.values()):
        entry = _entry_file(ctx, found, host)
        name = _module_value(ctx, host, entry, "networking", "hostName") if entry else None
        if isinstance(name, str) and name and name not in found.hosts:
            del found.hosts[host.name]
            host.name = name
            found.hosts[name] = host
        elif isinstance(name, str) and name and name != host.name:
            ctx.warn(entry, None, f"networking.hostName {name} is another host's too: this one is called '{host.name}'")
        elif not (isinstance(name, str) and name):
            ctx.warn(entry, None, f"networking.hostName is not set to a plain string: the host is called '{host.name}'")
    users = {}
    for home in found.homes.values():
        entry = _entry_file(ctx, found, home)
        user = _module_value(ctx, home, entry, "home", "username") if entry else None
        if isinstance(user, str) and user:
            users[home.name] = user
        else:
            ctx.warn(entry, None, "home.username is not set to a plain string: use --attach USER=HOST")
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


# -- Home Manager already running as a NixOS module --------------------------------------


def _add_integrated_users(ctx, found: Discovery, host: Root, integration: Integration) -> None:
    for user, definitions in integration.users.items():
        first_where = definitions[0][1] if definitions else host.where
        home = Root(kind="home", name=f"{user}@{host.name}", where=first_where, user=user, host=host.name,
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
    if any(text.endswith(_HM_NIXOS_MODULE_SUFFIXES) for text in host.external_modules):
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
    node = query.find_binding(index.body, ("nixpkgs", "hostPlatform"))
    if node is None:
        return None
    function, args = query.apply_spine(node)
    candidate = args[-1] if args else function
    candidate = query.unparen(candidate)
    if candidate.kind() == "NODE_ATTR_SET":
        candidate = query.find_binding(candidate, ("system",))
    text = query.string_constant(candidate) if candidate is not None and candidate.kind() == "NODE_STRING" else None
    return text or None


# -- HM008: which host does a standalone configuration belong to -------------------------


def _configured_usernames(ctx, found: Discovery) -> dict[str, str]:
    """homeConfigurations key -> the `home.username` its modules set as a plain string.
    A key is often not the user (`work`, `quentlix`); the module setting is what Home
    Manager runs with, and what `home-manager.users.<name>` must be called."""
    found_names = {}
    per_file: dict[str, Optional[str]] = {}
    for home in found.homes.values():
        if home.integrated or home.call is None or "@" in home.name:
            continue  # channels homes are named from home.username already; `user@host` names its user
        values = set()
        for path in home.files:
            if path not in per_file:
                per_file[path] = _username_in(ctx, path)
            if per_file[path]:
                values.add(per_file[path])
        if len(values) == 1:
            found_names[home.name] = values.pop()
    return found_names


def _username_in(ctx, path: str) -> Optional[str]:
    """The plain string a module sets home.username to, if it does."""
    try:
        nix = ctx.evaluator.parse(path)
    except MigrateError:
        return None
    if "username" not in nix.text:
        return None
    body = ctx.index_of(path).body
    if body is None or body.kind() != "NODE_ATTR_SET":
        return None
    return query.string_binding(body, ("home", "username")) or None


def _attach(found: Discovery, requested: dict[str, list[str]], warn, configured: dict[str, str]) -> None:
    for name, hosts in requested.items():
        unknown = [h for h in hosts if h not in found.hosts]
        if unknown:
            raise MigrateError(f"--attach {name}={','.join(hosts)}: no NixOS host named {', '.join(unknown)}")
    already_integrated = any(h.integrated for h in found.homes.values())
    integrated_pairs = {(h.user, h.host) for h in found.homes.values() if h.integrated}
    for home in found.homes.values():
        if home.integrated:
            continue
        key_user, _, key_host = home.name.partition("@")
        username = home.args.get("username") if isinstance(home.args, AttrSet) else None
        username = force(username) if username is not None else None
        # `user@host` names the user as `home-manager switch` looks it up ($USER@$HOST); a
        # different home.username there is a conflict HM004 reports. A bare key (`work`,
        # a host's name) says nothing of the user: the modules' home.username does.
        by_modules = configured.get(home.name) if not key_host else None
        home.user = username if isinstance(username, str) else (home.user or by_modules or key_user)
        hostname = None
        if isinstance(home.args, AttrSet):  # both spellings are common
            hostname = home.args.get("hostname") or home.args.get("hostName")
        hostname = force(hostname) if hostname is not None else None
        file, line = where_parts(home.where)
        if home.name in requested or home.user in requested:
            home.hosts = list(requested.get(home.name) or requested[home.user])
            home.attach_reason = "attached by --attach"
        elif key_host:
            home.hosts = [key_host] if key_host in found.hosts else []
            home.attach_reason = (f"its key names host {key_host}" if home.hosts
                                  else f"no NixOS host named {key_host}: stays a standalone configuration")
        elif isinstance(hostname, str):
            home.hosts = [hostname] if hostname in found.hosts else []
            home.attach_reason = (f"its hostname argument is {hostname}" if home.hosts
                                  else f"no NixOS host named {hostname}: stays a standalone configuration")
        elif already_integrated:
            home.attach_reason = "hosts already run Home Manager as a NixOS module: stays a standalone configuration"
        elif not key_host and home.name in found.hosts:
            # `homeConfigurations.<host>`, switched with `home-manager switch --flake .#<host>`
            home.hosts = [home.name]
            home.attach_reason = f"its key is the name of host {home.name}"
        elif (beside := _host_folder_of(found, file)) is not None:
            home.hosts = [beside]
            home.attach_reason = f"its file is in the folder of host {beside}"
        elif len(found.hosts) == 1:
            home.hosts = list(found.hosts)
            home.attach_reason = "the repository has one NixOS host"
        elif found.hosts:
            home.ambiguous = True
            home.attach_reason = "no host named: pass --attach"
            warn(file, line, f"homeConfigurations.{home.name}: cannot tell which NixOS host(s) user "
                             f"{home.user} belongs to; pass --attach {home.user}=HOST[,HOST]")
        else:
            home.attach_reason = "the repository has no NixOS host: stays a standalone configuration"
        taken = [h for h in home.hosts if (home.user, h) in integrated_pairs]
        if taken:
            # The user already runs Home Manager as a NixOS module there: this one stays standalone.
            home.hosts = [h for h in home.hosts if h not in taken]
            home.attach_reason = (f"user {home.user} already runs Home Manager as a NixOS module on "
                                  f"{', '.join(taken)}: stays a standalone configuration")
        home.host = home.hosts[0] if len(home.hosts) == 1 else None
        for host_name in home.hosts:
            users = found.hosts[host_name].users
            if home.user not in users:
                users.append(home.user)
    for host in found.hosts.values():
        host.users.sort()


def _host_folder_of(found: Discovery, home_file: Optional[str]) -> Optional[str]:
    """The host whose channels entry sits in the home file's folder or above it, in a
    per-host folder (hosts/laptop/home.nix belongs to hosts/laptop/configuration.nix)."""
    if found.layout != "channels" or not home_file:
        return None
    home_dir = posixpath.dirname(home_file)
    best, best_dir = None, ""
    for host in found.hosts.values():
        host_file, _ = where_parts(host.where)
        host_dir = posixpath.dirname(host_file or "")
        if not host_dir or not (home_dir == host_dir or home_dir.startswith(host_dir + "/")):
            continue
        if len(host_dir) > len(best_dir):
            best, best_dir = host.name, host_dir
    return best


# -- files the flake evaluates itself ------------------------------------------------------


def _flake_level(ctx, found: Discovery) -> set[str]:
    if found.layout == "channels":
        return set()
    module_reached = {
        path for root in list(found.hosts.values()) + list(found.homes.values())
        for path, reach in root.files.items() if any(e.kind == "module" for e in reach.edges)
    }
    level = {"flake.nix"}
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
