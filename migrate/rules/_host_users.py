"""The users a NixOS host declares in `users.users`: HM004 checks that a migrated user
exists there, and the attachment reads which hosts a user logs in to."""

from __future__ import annotations

from dataclasses import dataclass, field

from migrate.analyze.values import AttrSet, force
from migrate.nix import query
from migrate.rules._common import quiet, root_settings


@dataclass
class HostUsers:
    # user name -> (nesting depth of the setting, file:line) for each place that declares it
    names: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    undecided: list[str] = field(default_factory=list)  # file:line of names the analysis cannot tell

    def status(self, user: str) -> tuple[str, list[str]]:
        """('defined' | 'unknown' | 'missing', where) for users.users.<user>."""
        where = self.names.get(user)
        if where:
            shallowest = min(depth for depth, _ in where)
            return "defined", sorted({loc for depth, loc in where if depth == shallowest}, key=_order)
        if self.undecided:
            return "unknown", sorted(set(self.undecided), key=_order)
        return "missing", []

    @property
    def complete(self) -> bool:
        """Whether these are all the users: some are declared, and every name is known.
        (A host that declares none may get its users from elsewhere: it says nothing.)"""
        return bool(self.names) and not self.undecided


def host_users(analysis, host) -> HostUsers:
    """`users.users.<name>` settings in the host's modules, names evaluated with the
    host's special arguments (`users.users.${username}`); found once per host."""
    cache = analysis.derived.setdefault("users.users per host", {})
    found = cache.get(id(host))
    if found is None:
        found = cache[id(host)] = _read(analysis, host)
    return found


def _read(analysis, host) -> HostUsers:
    found = HostUsers()
    for setting in root_settings(analysis, host, ("users", "users")):
        where = f"{setting.file}:{setting.line}"
        if len(setting.path) < 3:
            # `users.users = someFunction ...;`: names the analysis does not see
            if len(setting.path) == 2 and setting.value is not None and not _is_attrset(setting.value):
                found.undecided.append(where)
            continue
        name, node = setting.parts[2]
        if "${" in name:
            name = _evaluate_name(analysis, host, setting.file, node)
            if name is None:
                found.undecided.append(where)
                continue
        found.names.setdefault(name, []).append((len(setting.path), where))
    return found


def _is_attrset(node) -> bool:
    inner = query.unparen(node)
    return inner is not None and inner.kind() == "NODE_ATTR_SET"


def _order(location: str):
    file, _, line = location.rpartition(":")
    return (file, int(line) if line.isdigit() else 0)


def _evaluate_name(analysis, host, path: str, node):
    """The value of a dynamic attribute name, in the host's special arguments."""
    evaluator = getattr(analysis, "evaluator", None)
    if evaluator is None or node is None:
        return None
    expr = node
    if node.kind() == "NODE_DYNAMIC":
        inner = [child for child in node.children()]
        if len(inner) != 1:
            return None
        expr = inner[0]
    env = {"lib": evaluator.lib}
    if isinstance(host.args, AttrSet):
        env.update(host.args.attrs)
    try:
        with quiet(evaluator):
            value = force(evaluator.eval_expr(expr, env, path))
    except Exception:  # an evaluator gap on one name must not stop the analysis
        return None
    return value if isinstance(value, str) else None
