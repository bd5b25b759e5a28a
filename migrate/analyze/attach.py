"""HM008: which NixOS host(s) a standalone Home Manager configuration belongs to.

What the repository says, strongest first:

1. `--attach USER=HOST[,HOST]`;
2. the configuration's own name and arguments: a `user@host` key (what
   `home-manager switch` looks up), a `hostname` argument, a key that is a host's
   name, a `<host>-<user>` key;
3. the folders of the files only this configuration uses (`hosts/<host>/home.nix`,
   `home/<host>/<user>/`), or a per-machine folder beside the hosts' folders for a
   machine that is not a NixOS host here;
4. the hosts that declare the user in `users.users` (a bare `user` key is what
   `home-manager switch` falls back to on every machine without a `user@host` one);
5. the repository's only host.

Steps 4 and 5 are guesses: a configuration that sets `targets.genericLinux.enable` (Home
Manager's setting for a distribution other than NixOS) is not put on a host by them.

A host that already runs Home Manager as a NixOS module is left as it is: the
configurations that name it stay standalone. Every decision keeps its reason
(`attach_reason`); when the clues disagree or say nothing, the configuration is
marked ambiguous and keeps the candidate hosts for the `--attach` hint.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Optional

from migrate.analyze.graph import where_parts
from migrate.analyze.values import AttrSet, Lambda, MkOverride, NixPath, force, unwrap
from migrate.errors import MigrateError
from migrate.nix import query

_KEY_SEPARATORS = "-_.:/"


@dataclass
class _Decision:
    hosts: list[str] = field(default_factory=list)
    reason: str = ""
    candidates: list[str] = field(default_factory=list)  # set when ambiguous
    basis: Optional[str] = None  # what attached it: attach, key, folder, users, only-host

    @property
    def ambiguous(self) -> bool:
        return bool(self.candidates)


@dataclass
class _Clue:
    name: str  # the host (or, when it is none of the repository's hosts, the machine) it names
    reason: str
    basis: str  # key (the key or arguments) or folder
    user: Optional[str] = None  # the user the clue names too (`<host>-<user>`)


def attach_homes(ctx, analysis, requested: dict[str, list[str]], warn) -> None:
    """Set `user`, `hosts`, `host`, `ambiguous`, `attach_reason` and `attach_candidates`
    of every standalone home, and each host's `users`."""
    hosts, homes = analysis.hosts, analysis.homes
    for name, wanted in requested.items():
        unknown = [h for h in wanted if h not in hosts]
        if unknown:
            raise MigrateError(f"--attach {name}={','.join(wanted)}: no NixOS host named {', '.join(unknown)}")
    standalone = [h for h in homes.values() if not h.integrated]
    running = _running_home_manager(analysis)
    own_files = _own_files(ctx, analysis, standalone)
    for home in standalone:
        _name_user(ctx, home)
    decided = {id(h): _decide(ctx, analysis, h, requested, running, own_files) for h in standalone}
    # A host where the user already gets a configuration by name (`user@host`, its
    # hostname, its folder) is not one a bare `user` key reaches: `home-manager switch`
    # takes `$USER@$HOST` before `$USER`.
    named = {(h.user, host) for h in standalone if decided[id(h)] is not None for host in decided[id(h)].hosts}
    named |= {(h.user, h.name.partition("@")[2]) for h in standalone if "@" in h.name}
    for home in standalone:
        decision = decided[id(home)] or _for_another_linux(ctx, home) or _by_users(analysis, home, running, named)
        home.user = home.user or home.name.partition("@")[0]
        _apply(analysis, home, decision, running, warn)
    for host in hosts.values():
        host.users.sort()


def _apply(analysis, home, decision: _Decision, running: dict[str, set], warn) -> None:
    hosts = list(decision.hosts)
    reason = decision.reason
    taken = [h for h in hosts if h in running and not takes_settings(analysis, h, running)]
    if taken:
        hosts = [h for h in hosts if h not in taken]
        if not hosts:
            reason = _running_reason(home, taken, running)
    home.hosts = hosts
    home.host = hosts[0] if len(hosts) == 1 else None
    home.ambiguous = decision.ambiguous and not hosts
    home.attach_candidates = [h for h in decision.candidates if h not in running]
    home.attach_reason = reason or "no host named: pass --attach"
    home.attach_basis = decision.basis if hosts else None
    if home.ambiguous:
        file, line = where_parts(home.where)
        candidates = home.attach_candidates or sorted(h for h in analysis.hosts if h not in running)
        warn(file, line, f"homeConfigurations.{home.name}: cannot tell which NixOS host(s) user {home.user} "
                         f"belongs to ({home.attach_reason}); pass --attach {home.user}=HOST[,HOST] "
                         f"(candidates: {', '.join(candidates)})")
    for host_name in hosts:
        users = analysis.hosts[host_name].users
        if home.user not in users:
            users.append(home.user)


# What a host that imports Home Manager's NixOS module may set itself and still get a
# user: settings the plan then leaves to it (useGlobalPkgs is the rules' to decide).
OWN_SETTINGS_KEPT = {"useUserPackages", "backupFileExtension", "verbose"}


def takes_settings(analysis, name: str, running: dict[str, set]) -> bool:
    """Whether host NAME, which imports Home Manager's NixOS module and names no user of it,
    can get users by its settings alone (never a second import of the module): in the
    modules list of its own `nixosSystem` call in flake.nix, with no home-manager setting
    of its own that the new user's configuration would see or that the rules decide
    (users, sharedModules, extraSpecialArgs, useGlobalPkgs)."""
    host = analysis.hosts[name]
    if running.get(name) or not host.integrated or analysis.layout == "channels":
        return False
    if not set(host.hm_settings) <= OWN_SETTINGS_KEPT:
        return False
    from migrate.plan.host_forms import written_in_own_definition  # plan-side syntax, loaded when needed

    return written_in_own_definition(analysis, host)


def _running_reason(home, taken: list[str], running: dict[str, set]) -> str:
    if all(home.user in running[h] for h in taken):
        return (f"user {home.user} already runs Home Manager as a NixOS module on {', '.join(taken)}: "
                "stays a standalone configuration")
    with_users = [h for h in taken if running[h]]
    if with_users:
        return (f"{_hosts_word(taken)} {', '.join(taken)} already {_run_word(taken)} Home Manager as a NixOS "
                f"module for other users and {_left_alone(taken)}: stays a standalone configuration")
    # The host imports the module and sets no user the analysis can name: users it cannot
    # see, or none yet. Importing the module a second time is not safe either way.
    return (f"{_hosts_word(taken)} {', '.join(taken)} already {_import_word(taken)} Home Manager's NixOS module "
            f"and {_left_alone(taken)} (add {home.user} to home-manager.users there by hand): stays a "
            "standalone configuration")


def _left_alone(names) -> str:
    return "is left as it is" if len(names) == 1 else "are left as they are"


def _import_word(names) -> str:
    return "imports" if len(names) == 1 else "import"


def _run_word(names) -> str:
    return "runs" if len(names) == 1 else "run"


def _hosts_word(names) -> str:
    return "host" if len(names) == 1 else "hosts"


def _running_home_manager(analysis) -> dict[str, set]:
    """Hosts that already run Home Manager as a NixOS module -> their users there."""
    running: dict[str, set] = {}
    for host in analysis.hosts.values():
        if host.integrated:
            running.setdefault(host.name, set())
    for home in analysis.homes.values():
        if home.integrated and home.host:
            running.setdefault(home.host, set()).add(home.user)
    return running


# -- the user -------------------------------------------------------------------------------


def _name_user(ctx, home) -> None:
    """The user a configuration is for: its `username` argument, else (for a key that does
    not name one, like `work` or a host's name) the `home.username` its modules set."""
    username = home.args.get("username") if isinstance(home.args, AttrSet) else None
    username = force(username) if username is not None else None
    if isinstance(username, str) and username:
        home.user = username
        return
    if home.user:  # channels: named from home.username already
        return
    key_user, at, _ = home.name.partition("@")
    if at:
        # `user@host` names the user as `home-manager switch` looks it up; a different
        # home.username there is a conflict HM004 reports.
        home.user = key_user
        return
    home.user = _module_username(ctx, home)


def _module_username(ctx, home) -> Optional[str]:
    values = set()
    for path in sorted(home.files):
        value = _username_in(ctx, home, path)
        if value:
            values.add(value)
    values.update(filter(None, (_inline_username(ctx, home, thunk) for thunk, _i, _c in home.entries)))
    return values.pop() if len(values) == 1 else None


def _inline_username(ctx, home, thunk) -> Optional[str]:
    """home.username of a module written in the configuration's `modules` list."""
    value = unwrap(_inline_setting(ctx, home, thunk, ("home", "username")))
    return value if isinstance(value, str) and value else None


def _inline_setting(ctx, home, thunk, names: tuple[str, ...]):
    """The value a module written in the configuration's `modules` list sets at NAMES, as
    written (`mkIf`, `mkDefault` kept), or None."""
    try:
        with ctx.evaluator.quietly():
            module = unwrap(force(thunk))
            if isinstance(module, Lambda):
                module = unwrap(force(ctx.graph.call_module(module, ctx.graph.module_args(home), None)))
            if not isinstance(module, AttrSet):
                return None
            return force(ctx.evaluator.select(module, *names, default=None))
    except MigrateError:
        raise
    except Exception:  # an evaluator gap in one module leaves the question to the other clues
        return None


def _username_in(ctx, home, path: str) -> Optional[str]:
    """What a module sets home.username to: a plain string, or a value of the
    configuration's arguments (`home.username = user;`)."""
    try:
        nix = ctx.evaluator.parse(path)
    except MigrateError:
        return None
    if "username" not in nix.text:
        return None
    index = ctx.index_of(path)
    body = index.body
    if body is not None and body.kind() == "NODE_ATTR_SET":
        plain = query.string_binding(body, ("home", "username"), index.file)
        if plain:
            return plain
    try:
        with ctx.evaluator.quietly():
            value = ctx.module_value(home, path, "home", "username")
    except MigrateError:
        raise
    except Exception:  # an evaluator gap in one module leaves the user to the other clues
        return None
    return value if isinstance(value, str) and value else None


# -- the decision ---------------------------------------------------------------------------


def _decide(ctx, analysis, home, requested, running, own_files) -> Optional[_Decision]:
    """The decision from what names a host (or a machine that is none): --attach, the
    key and arguments, the folders. None when they say nothing."""
    hosts = analysis.hosts
    if home.name in requested or home.user in requested:
        chosen = list(requested.get(home.name) or requested[home.user])
        busy = [h for h in chosen if h in running and home.user not in running[h]
                and not takes_settings(analysis, h, running)]
        if busy and ctx.evaluator.special_functions:  # snowfall-lib wires a home by its folder's name
            from migrate.plan.snowfall import wiring_advice

            raise MigrateError(wiring_advice(home, busy[0], analysis.notes))
        if busy:
            raise MigrateError(
                f"--attach {home.name if home.name in requested else home.user}={','.join(chosen)}: "
                f"{_hosts_word(busy)} {', '.join(busy)} already {_run_word(busy)} Home Manager "
                f"as a NixOS module; add user {home.user} to its home-manager.users by hand")
        return _Decision(chosen, "attached by --attach", basis="attach")
    for clues in (_name_clues(home, hosts), _folder_clues(analysis, home, own_files)):
        if clues:
            return _from_clues(home, clues, hosts)
    machine = _machine_folder(analysis, home, own_files)
    return _Decision([], machine) if machine is not None else None


def _from_clues(home, clues: list[_Clue], hosts) -> _Decision:
    named = sorted({c.name for c in clues})
    if len(named) > 1:
        said = "; ".join(c.reason for c in clues)
        return _Decision([], f"the repository names different hosts for it ({said})",
                         candidates=[n for n in named if n in hosts] or sorted(hosts))
    clue = clues[0]
    if clue.user and not home.user:
        home.user = clue.user
    if clue.name in hosts:
        return _Decision([clue.name], clue.reason, basis=clue.basis)
    return _Decision([], f"no NixOS host named {clue.name}: stays a standalone configuration")


def _name_clues(home, hosts) -> list[_Clue]:
    key_user, at, key_host = home.name.partition("@")
    if at and key_host:
        # what `home-manager switch` looks up on the machine ($USER@$HOST): it decides,
        # whatever the modules are told (`hostname = "vega"` for its WSL twin `vegawin`)
        return [_Clue(key_host, f"its key names host {key_host}", "key")]
    clues = []
    hostname = None
    if isinstance(home.args, AttrSet):  # both spellings are common
        hostname = home.args.get("hostname") or home.args.get("hostName")
    hostname = force(hostname) if hostname is not None else None
    if isinstance(hostname, str) and hostname:
        clues.append(_Clue(hostname, f"its hostname argument is {hostname}", "key"))
    if home.name in hosts:
        # `homeConfigurations.<host>`, switched with `home-manager switch --flake .#<host>`
        clues.append(_Clue(home.name, f"its key is the name of host {home.name}", "key"))
    elif (pair := _host_and_user(home.name, hosts, home.user)) is not None:
        host, user = pair
        clues.append(_Clue(host, f"its key names host {host} and user {user}", "key", user=user))
    return clues


def _host_and_user(key: str, hosts, user: Optional[str]) -> Optional[tuple[str, str]]:
    """`<host>-<user>` or `<user>-<host>` (any of - _ . : /): the host, and the user the
    rest names. When the modules say who the user is, the rest must be that user."""
    for host in sorted(hosts, key=len, reverse=True):
        for sep in _KEY_SEPARATORS:
            for rest in (key[len(host) + 1:] if key.startswith(host + sep) else None,
                         key[:-len(host) - 1] if key.endswith(sep + host) else None):
                if rest and (user is None or rest == user):
                    return host, rest
    return None


# -- folders ---------------------------------------------------------------------------------


def _own_files(ctx, analysis, standalone) -> dict[int, list[str]]:
    """Per home: the files its definition and its top-level modules are written in,
    that no other home's are (a shared `home/common.nix` says nothing of a host)."""
    per_home: dict[int, set[str]] = {}
    users_of: dict[str, int] = {}
    for home in analysis.homes.values():
        files = _entry_files(ctx, home)
        per_home[id(home)] = files
        for path in files:
            users_of[path] = users_of.get(path, 0) + 1
    return {id(h): sorted(p for p in per_home[id(h)] if users_of[p] == 1) for h in standalone}


def _entry_files(ctx, home) -> set[str]:
    files = set()
    defined_in, _ = where_parts(home.where)
    if defined_in and defined_in != "flake.nix":
        files.add(defined_in)
    for thunk, _importer, _conditions in home.entries:
        try:
            value = unwrap(force(thunk))
        except Exception:  # an entry the analysis cannot evaluate names no folder
            continue
        path = None
        if isinstance(value, NixPath) and value.path is not None:
            path = ctx.evaluator.resolve_import(value.path)
        elif isinstance(value, (AttrSet, Lambda)):
            path, _ = where_parts(thunk.where())
        if path and path != "flake.nix":
            files.add(path)
    return files


def _folder_clues(analysis, home, own_files) -> list[_Clue]:
    clues: dict[str, _Clue] = {}
    hosts_in: dict[str, list[str]] = {}  # folder of a host's entry file -> the hosts whose it is
    for host in analysis.hosts.values():
        entry = _entry_file(analysis, host)
        if entry is not None:
            hosts_in.setdefault(posixpath.dirname(entry), []).append(host.name)
    for path in own_files.get(id(home), []):
        folder = posixpath.dirname(path)
        # the host whose entry file is in this folder or above it (hosts/laptop/home.nix);
        # at the top only for channels, where home.nix beside configuration.nix is the setup
        tops = [f for f in hosts_in if _within(folder, f) and (f or analysis.layout == "channels" and not folder)]
        best = max(tops, key=len, default=None)
        if best is not None:
            if len(hosts_in[best]) == 1:  # a folder shared by several hosts' entries says nothing
                host = hosts_in[best][0]
                clues.setdefault(host, _Clue(host, f"its file is in the folder of host {host}", "folder"))
            continue
        named = [part for part in folder.split("/") if part in analysis.hosts]
        if named:
            host = named[-1]
            clues.setdefault(host, _Clue(host, f"its file {path} is in a folder named after host {host}", "folder"))
    return list(clues.values())


def _machine_folder(analysis, home, own_files) -> Optional[str]:
    """A per-machine folder beside the hosts' own (machines/macmini/home.nix next to
    machines/laptop/{configuration,home}.nix) for a machine that is not a NixOS host here."""
    host_folders = {}
    for host in analysis.hosts.values():
        entry = _entry_file(analysis, host)
        folder = posixpath.dirname(entry) if entry else ""
        if folder and posixpath.basename(folder) == host.name:
            host_folders[folder] = host.name
    if not host_folders:
        return None
    homes_in = {posixpath.dirname(p) for h in analysis.homes.values() if h is not home
                for p in own_files.get(id(h), [])}
    for path in own_files.get(id(home), []):
        folder = posixpath.dirname(path)
        machine = posixpath.basename(folder)
        if not folder or machine in analysis.hosts or folder in host_folders:
            continue
        beside = sorted(name for f, name in host_folders.items()
                        if posixpath.dirname(f) == posixpath.dirname(folder) and f in homes_in)
        if beside:
            return (f"its file {path} is in the folder of machine {machine}, beside those of "
                    f"{_hosts_word(beside)} {', '.join(beside)}; no NixOS host here is called {machine}: "
                    "stays a standalone configuration")
    return None


def _entry_file(analysis, root) -> Optional[str]:
    for thunk, _importer, _conditions in root.entries:
        try:
            value = force(thunk)
        except Exception:
            continue
        if isinstance(value, NixPath) and value.path is not None:
            return analysis.evaluator.resolve_import(value.path)
    file, _ = where_parts(root.where)
    return file if file and file != "flake.nix" else None


def _within(folder: str, top: str) -> bool:
    return folder == top or folder.startswith(top + "/")


# -- a home written for a Linux that is not NixOS ---------------------------------------------


def _for_another_linux(ctx, home) -> Optional[_Decision]:
    """`targets.genericLinux.enable = true` is Home Manager's setting for a distribution
    other than NixOS: a home that says so is not guessed onto a NixOS host by its user
    (only its name, its folder or --attach put it on one)."""
    if not _sets_generic_linux(ctx, home):
        return None
    return _Decision([], "it sets targets.genericLinux.enable, Home Manager's setting for a Linux that is not "
                         "NixOS: stays a standalone configuration (--attach USER=HOST moves it into a host)")


def _sets_generic_linux(ctx, home) -> bool:
    setting = ("targets", "genericLinux", "enable")
    for thunk, _importer, _conditions in home.entries:
        if _without_priority(_inline_setting(ctx, home, thunk, setting)) is True:
            return True
    for path in sorted(home.files):
        try:
            if "genericLinux" not in ctx.evaluator.parse(path).text:
                continue
            with ctx.evaluator.quietly():
                if _without_priority(ctx.module_value(home, path, *setting, wrapped=True)) is True:
                    return True
        except MigrateError:
            raise
        except Exception:  # an evaluator gap in one module: that module says nothing
            continue
    return False


def _without_priority(value):
    """VALUE without `mkDefault`/`mkForce`; a `mkIf` stays, since its condition is not known."""
    while isinstance(value, MkOverride):
        value = force(value.value)
    return value


# -- users.users and the only host -------------------------------------------------------------


def _by_users(analysis, home, running, named) -> _Decision:
    """A configuration nothing names a host for: a bare user key (what `home-manager
    switch` falls back to) runs on the hosts that declare that user in users.users."""
    from migrate.rules._host_users import host_users  # the rules' settings reader, loaded when needed

    known = home.user is not None
    home.user = home.user or home.name  # a key the modules do not contradict is the user name
    # a flake key HM looks up as `$USER` (a channels home is named after its user only when
    # home.username says so, and then the user is known)
    bare = home.name == home.user and (known or home.call is not None)
    free = sorted(h for h in analysis.hosts if h not in running)
    declared, lacking = [], []
    for name in free if known or bare else []:
        users = host_users(analysis, analysis.hosts[name])
        status, _where = users.status(home.user)
        if status == "defined":
            declared.append(name)
        elif status == "missing" and users.complete:
            lacking.append(name)
    if bare and declared and len(analysis.hosts) > 1:
        mine = [h for h in declared if (home.user, h) not in named]
        if mine:
            return _Decision(mine, f"user {home.user} is declared in users.users of "
                                   f"{_hosts_word(mine)} {', '.join(mine)}", basis="users")
        return _Decision([], f"every host that declares user {home.user} ({', '.join(declared)}) has a "
                             "configuration of its own for that user: stays a standalone configuration")
    if free and len(lacking) == len(free):
        return _Decision([], f"no NixOS host here declares user {home.user} in users.users: "
                             "stays a standalone configuration")
    # Not a bare user key (`work`, `gaming`): a profile switched by hand, on a machine
    # the repository does not name; the hosts with that user are the likely ones.
    return _only_host(analysis, declared or [h for h in free if h not in lacking], running)


def _only_host(analysis, candidates: list[str], running) -> _Decision:
    if len(analysis.hosts) == 1 and len(candidates) == 1:
        return _Decision(list(candidates), "the repository has one NixOS host", basis="only-host")
    if running:
        # Half migrated: the hosts that run Home Manager got their users already; one that
        # says nothing of a host is most likely for a machine outside the repository.
        hint = " (--attach USER=HOST moves it into a host)" if len(running) < len(analysis.hosts) else ""
        return _Decision([], f"no host named, and {_hosts_word(running)} {', '.join(sorted(running))} already "
                             f"{_run_word(running)} Home Manager as a NixOS module: stays a "
                             f"standalone configuration{hint}")
    if not analysis.hosts:
        return _Decision([], "the repository has no NixOS host: stays a standalone configuration")
    return _Decision([], "no host named: pass --attach", candidates=list(candidates) or sorted(analysis.hosts))
