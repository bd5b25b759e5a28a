"""Hosts a helper of the repository builds (`libx.mkHost { hostname; username; desktop; }`,
`mkHost = hostname: nixosSystem { ... }`) get Home Manager from that helper: its
`modules` gain Home Manager's NixOS module and the settings the standalone homes had,
written the way the repository's home helper (`mkHome`) writes them:

    modules = [ ... ]
      ++ (
        if builtins.elem hostname [ "forge" "kestrel" ] then
          [ inputs.home-manager.nixosModules.home-manager { home-manager = { ...; users.${username}.imports = [ ../home ]; }; } ]
        else
          [ ]
      );

The flake's lines that call the helper stay as the user wrote them. The condition names
the hosts whose users migrate (an ISO image or a server built by the same helper stays as
it was); it is left out when every host of the helper migrates.

The settings are the home helper's own expressions (`extraSpecialArgs`, `modules`), copied
from the same file, so every name they read must mean the same where the host helper is:
an argument of the home helper must be an argument of the host helper with the same
value for every migrating host, or a default of the home helper no migrating home
overrides (written out in its place). When any of that does not hold the hosts are
wrapped instead (flake.py).
"""

from __future__ import annotations

from typing import Optional

from migrate.analyze.values import NixPath, force, unwrap
from migrate.nix import emit, query, scopes
from migrate.plan.carry import operand
from migrate.plan.file_edits import indent_of
from migrate.plan.host_forms import written_call

_USER_NAMES = ("username", "user", "userName")
_HOST_NAMES = ("hostname", "hostName", "host", "name")
_HOME_KEYS = {"pkgs", "extraSpecialArgs", "modules"}  # what a home helper may pass; pkgs is HM001's


class _Helper:
    """A function whose body makes the `nixosSystem` call written at ARGUMENTS."""

    def __init__(self, file: str, arguments, lambdas: list, name: str):
        self.file = file
        self.name = name
        self.arguments = arguments
        self.lambdas = lambdas  # outermost first
        self.names = set().union(*(scopes.lambda_names(lam) for lam in lambdas))


def extend_helpers(analysis, editor, editor_of, wirings, per_host: dict, extension: str) -> list:
    """Extend the helpers that build the migrating hosts; returns the wirings left."""
    groups: dict[tuple, list] = {}
    for wiring in wirings:
        host = analysis.hosts[wiring.host]
        file = host.call.written[0].src.path if host.call is not None and host.call.written else None
        arguments = written_call(host, file) if file else None
        if arguments is None:
            continue
        groups.setdefault((file, arguments.text_range()), []).append(wiring)
    done = set()
    for (file, _range), group in groups.items():
        file_editor = editor_of(file)
        if file_editor is None:
            continue
        why = _Extension(analysis, file_editor, editor, group, per_host, extension).write()
        if why is None:
            done.update(id(w) for w in group)
        else:
            for wiring in group:
                wiring.wrapped_because = why
    return [wiring for wiring in wirings if id(wiring) not in done]


def helper_of(arguments, file: str) -> Optional[_Helper]:
    """The curried function (`a: { b, ... }: let ... in nixosSystem ARGUMENTS`) that ARGUMENTS
    is the call of, bound to a name (`mkHost = ...;`)."""
    call = arguments.parent()
    while call is not None and call.kind() == "NODE_PAREN":
        call = call.parent()
    if call is None or call.kind() != "NODE_APPLY" or not query.same_node(query.unparen(call.last_child()), arguments):
        return None
    node, lambdas = call, []
    parent = node.parent()
    while parent is not None and (
            parent.kind() == "NODE_PAREN"
            or (parent.kind() in ("NODE_LET_IN", "NODE_LAMBDA") and query.same_node(parent.last_child(), node))):
        if parent.kind() == "NODE_LAMBDA":
            lambdas.append(parent)
        node, parent = parent, parent.parent()
    if not lambdas or parent is None or parent.kind() != "NODE_ATTRPATH_VALUE":
        return None
    return _Helper(file, arguments, list(reversed(lambdas)), parent.first_child().text())


class _Extension:
    def __init__(self, analysis, file_editor, flake_editor, group: list, per_host: dict, extension: str):
        self.analysis = analysis
        self.editor = file_editor
        self.flake = flake_editor
        self.group = group
        self.per_host = per_host
        self.extension = extension
        host = analysis.hosts[group[0].host]
        self.file = host.call.written[0].src.path
        self.arguments = written_call(host, self.file)
        self.helper = helper_of(self.arguments, self.file)

    def write(self) -> Optional[str]:
        """Edit the helper; or why not (nothing edited) when the extension would not be exact."""
        try:
            self._write()
        except _NotExact as why:
            return str(why)
        return None

    def _write(self) -> None:
        if self.helper is None:
            raise _NotExact(f"the nixosSystem call at {self.file} is not the body of a named function")
        wirings = self.group
        if any(w.module_imported for w in wirings):
            raise _NotExact("a host built by it imports Home Manager's NixOS module already")
        if any(len(w.users) != 1 for w in wirings):
            raise _NotExact(f"a host built by {self.helper.name} gets several users")
        if any(w.package_modules for w in wirings):
            raise _NotExact("a user's packages need a module of their own (HM001)")
        if len({w.use_global_pkgs for w in wirings}) != 1:
            raise _NotExact(f"the hosts built by {self.helper.name} need different useGlobalPkgs")
        homes = [self.per_host[w.host][0] for w in wirings]
        home_arguments = [written_call(home, self.file) for home in homes]
        if any(a is None for a in home_arguments) or any(not query.same_node(a, home_arguments[0])
                                                          for a in home_arguments):
            raise _NotExact(f"their homes are not all built by one function of {self.file}")
        home_helper = helper_of(home_arguments[0], self.file)
        if home_helper is None:
            raise _NotExact("the homes' homeManagerConfiguration call is not the body of a named function")
        self._plain_home_call(home_arguments[0], home_helper)
        hosts = [self.analysis.hosts[w.host] for w in wirings]
        texts = self._settings(home_arguments[0], home_helper, hosts, homes)
        user = self._user(hosts, homes)
        condition = self._condition(hosts)
        hm_module = self._hm_module(home_arguments[0].parent(), home_helper)
        self._edit(hm_module, texts, user, condition, wirings[0].use_global_pkgs)
        for wiring in wirings:
            wiring.form = f"{self.helper.name} of {self.file}, the repository's helper"

    # -- what the home helper passes --------------------------------------------------------

    def _plain_home_call(self, arguments, home_helper: _Helper) -> None:
        keys = []
        for child in arguments.children():
            if child.kind() == "NODE_INHERIT" and not child.find_children_by_kind("NODE_INHERIT_FROM"):
                names = [part.text() for part in child.children() if part.kind() == "NODE_IDENT"]
                if any(name != "pkgs" for name in names):
                    raise _NotExact(f"{home_helper.name} passes `inherit {' '.join(names)};`, which "
                                    f"{self.helper.name} cannot name")
                continue
            if child.kind() != "NODE_ATTRPATH_VALUE":
                raise _NotExact(f"{home_helper.name}'s arguments are not written one by one")
            keys.append(query.attrpath_names(child.first_child()))
        others = [".".join(k) for k in keys if len(k) != 1 or k[0] not in _HOME_KEYS]
        if others or ("modules",) not in keys or scopes.is_rec(arguments):
            raise _NotExact(f"{home_helper.name} passes {', '.join(others) or 'no modules list'} to "
                            "homeManagerConfiguration")

    def _settings(self, arguments, home_helper: _Helper, hosts, homes) -> dict:
        """{"extraSpecialArgs": text, "modules": text} as the host helper can write them."""
        found = {}
        for key in ("extraSpecialArgs", "modules"):
            node = query.find_binding(arguments, (key,))
            if node is not None:
                found[key] = self._copy(node, home_helper, hosts, homes, key)
        return found

    def _copy(self, node, home_helper: _Helper, hosts, homes, key: str) -> str:
        """NODE's text as the host helper can write it: names of the home helper's own
        arguments either the host helper's (same values) or its defaults written out."""
        pieces = []  # (start, end, text) replacing parts of NODE
        for name in scopes.free_variables(node):
            binder = scopes.binder(node, name)
            own = binder is not None and any(query.same_node(binder, lam) for lam in home_helper.lambdas)
            if not own:
                if not scopes.means_the_same(name, node, self.arguments):
                    raise _NotExact(f"`{name}` in {home_helper.name}'s {key} means something else in "
                                    f"{self.helper.name}")
                continue
            host_binder = scopes.binder(self.arguments, name)
            if host_binder is not None and any(query.same_node(host_binder, lam) for lam in self.helper.lambdas):
                if not self._same_values(name, hosts, homes):
                    raise _NotExact(f"{self.helper.name} and {home_helper.name} get different values of "
                                    f"`{name}` for a host")
                continue
            default = self._default(name, home_helper, homes)
            if default is None:
                raise _NotExact(f"{home_helper.name}'s {key} reads `{name}`, which {self.helper.name} does not "
                                "take (and no default every migrating home keeps)")
            pieces += _substitute(node, name, default, binder, self.editor.nix.data)
        return self._text(node, pieces)

    def _same_values(self, name: str, hosts, homes) -> bool:
        for host, home in zip(hosts, homes):
            mine = host.call.written[1].lookup(name)
            theirs = home.call.written[1].lookup(name)
            if mine is None or theirs is None or not _equal(mine, theirs):
                return False
        return True

    def _default(self, name: str, home_helper: _Helper, homes) -> Optional[str]:
        """The home helper's default for NAME, when no migrating home passes it and it reads
        nothing."""
        for lam in home_helper.lambdas:
            pattern = lam.first_child()
            if pattern.kind() != "NODE_PATTERN":
                continue
            for entry in pattern.find_children_by_kind("NODE_PAT_ENTRY"):
                parts = entry.children()
                if parts[0].text() != name:
                    continue
                if len(parts) < 2 or scopes.free_variables(parts[1]) or parts[1].find_by_kind("NODE_PATH_REL"):
                    return None
                if any(self._passes(home, name) is not False for home in homes):
                    return None
                return parts[1].text()
        return None

    def _passes(self, home, name: str) -> Optional[bool]:
        """Whether HOME's definition in flake.nix passes NAME to its helper (None: cannot tell)."""
        value = self.flake.root_value("homeConfigurations", home.name, home.where)
        if value is None:
            return None
        _function, arguments = query.apply_spine(value)
        last = query.unparen(arguments[-1]) if arguments else None
        if last is None or last.kind() != "NODE_ATTR_SET":
            return None
        return query.find_binding(last, (name,)) is not None or any(
            name in inherit.names for inherit in query.inherits(last))

    def _text(self, node, pieces) -> str:
        start, end = node.text_range()
        edits = [(r.start, r.end, r.data.decode("utf-8")) for r in self.editor.changes.replacements
                 if start <= r.start and r.end <= end]
        data, cursor, out = self.editor.nix.data, start, []
        for piece_start, piece_end, text in sorted(edits + pieces):
            out.append(data[cursor:piece_start].decode("utf-8"))
            out.append(text)
            cursor = piece_end
        out.append(data[cursor:end].decode("utf-8"))
        return "".join(out)

    # -- the user, the hosts, Home Manager's module -----------------------------------------

    def _user(self, hosts, homes) -> str:
        """`${username}` when an argument of the helper names each host's user, else the
        user's name when all are one."""
        names = [n for n in _USER_NAMES if n in self.helper.names] + sorted(self.helper.names - set(_USER_NAMES))
        for name in names:
            values = [_plain(host.call.written[1].lookup(name)) for host in hosts]
            if all(value == home.user for value, home in zip(values, homes)):
                return "${" + name + "}"
        users = {home.user for home in homes}
        if len(users) != 1:
            raise _NotExact(f"no argument of {self.helper.name} names each host's user")
        return emit.attr_key(users.pop())

    def _condition(self, hosts) -> str:
        """`builtins.elem hostname [ ... ]` when the helper builds other hosts too; "" when not."""
        built = [h for h in self.analysis.hosts.values() if (a := written_call(h, self.file)) is not None
                 and query.same_node(a, self.arguments)]
        if len(built) == len(hosts):
            return ""
        names = [n for n in _HOST_NAMES if n in self.helper.names] + sorted(self.helper.names - set(_HOST_NAMES))
        for name in names:
            values = [_plain(h.call.written[1].lookup(name)) for h in built]
            if all(isinstance(v, str) for v in values) and len(set(values)) == len(values):
                chosen = [_plain(h.call.written[1].lookup(name)) for h in hosts]
                return f"builtins.elem {name} [ {' '.join(emit.string_literal(v) for v in chosen)} ]"
        raise _NotExact(f"{self.helper.name} also builds hosts without Home Manager users, and no argument "
                        "tells the hosts apart")

    def _hm_module(self, home_call, home_helper: _Helper) -> str:
        """`<home-manager input>.nixosModules.home-manager`, named as the home helper names
        the input (`inputs.home-manager.lib.homeManagerConfiguration`)."""
        function = query.unparen(home_call.first_child()) if home_call is not None else None
        text = function.text() if function is not None and function.kind() == "NODE_SELECT" else ""
        suffix = ".lib.homeManagerConfiguration"
        if not text.endswith(suffix) or "\n" in text or not all(
                scopes.means_the_same(name, function, self.arguments) for name in scopes.free_variables(function)):
            raise _NotExact(f"{home_helper.name} does not name Home Manager's input as "
                            f"{self.helper.name} can (`<input>{suffix}`)")
        return text[: -len(suffix)] + ".nixosModules.home-manager"

    # -- the edit ------------------------------------------------------------------------------

    def _edit(self, hm_module: str, texts: dict, user: str, condition: str, use_global_pkgs: bool) -> None:
        lines = [f"useGlobalPkgs = {'true' if use_global_pkgs else 'false'};", "useUserPackages = true;",
                 f"backupFileExtension = {emit.string_literal(self.extension)};"]
        if "extraSpecialArgs" in texts:
            lines.append(f"extraSpecialArgs = {emit.reindent(texts['extraSpecialArgs'], '')};")
        lines.append(f"users.{user}.imports = {emit.reindent(texts['modules'], '')};")
        settings = "{\n  home-manager = {\n" + "\n".join(
            "    " + line.replace("\n", "\n    ") for line in lines) + "\n  };\n}"
        modules = [hm_module, settings]
        binding = next(child for child in self.arguments.children()
                       if child.kind() == "NODE_ATTRPATH_VALUE"
                       and query.attrpath_names(child.first_child()) == ("modules",))
        value = binding.last_child()
        indent = indent_of(self.editor.nix.data, binding.text_range()[0])
        comment = "# Home Manager as a NixOS module (migrated by hm-migrate) on the hosts whose users had"
        if not condition and query.unparen(value).kind() == "NODE_LIST":
            from migrate.plan.host_forms import append_items
            append_items(self.editor, query.unparen(value), modules)
            return
        block = "[\n" + "\n".join("  " + m.replace("\n", "\n  ") for m in modules) + "\n]"
        if condition:
            test = f"if {condition} then"
            if len(indent) + 6 + len(test) > 100:  # nixfmt: a long condition gets lines of its own
                name, hosts = condition.split(" [ ", 1)
                listed = "\n".join(f"      {host}" for host in hosts.rstrip(" ]").split(" "))
                test = f"if\n    {name} [\n{listed}\n    ]\n  then"
            block = (f"(\n  {comment}\n  # standalone homeConfigurations\n  {test}\n"
                     + "    " + block.replace("\n", "\n    ") + "\n  else\n    [ ]\n)")
        text = block.replace("\n", "\n" + indent + "  ")
        start, end = value.text_range()
        if not _sum_operand(query.unparen(value)):
            self.editor.changes.insert(start, "(")
            self.editor.changes.insert(end, ")")
        self.editor.changes.insert(end, f"\n{indent}  ++ {text}")


class _NotExact(Exception):
    """Why extending the helper would not build what the wrapper would."""


def _sum_operand(node) -> bool:
    """Whether NODE needs no parentheses before `++`."""
    if node.kind() in ("NODE_LIST", "NODE_APPLY", "NODE_SELECT", "NODE_IDENT", "NODE_PAREN"):
        return True
    if node.kind() == "NODE_BIN_OP":
        operator = next((t.text() for t in node.children_with_tokens() if t.is_token() and t.text().strip()), None)
        return operator == "++"
    return False


def _substitute(node, name: str, default: str, binder, data: bytes) -> list:
    """Replacements that write DEFAULT where NODE reads NAME (bound by BINDER)."""
    pieces = []
    empty_list = default.replace(" ", "") == "[]"
    for ident in node.find_by_kind("NODE_IDENT"):
        if ident.text() != name or not query.same_node(scopes.binder(ident, name), binder):
            continue
        parent = ident.parent()
        if parent.kind() == "NODE_ATTRPATH":
            continue  # an attribute name
        if parent.kind() == "NODE_INHERIT":
            if parent.find_children_by_kind("NODE_INHERIT_FROM"):
                continue
            pieces += _out_of_inherit(parent, ident, f"{emit.attr_key(name)} = {default};", data)
            continue
        if empty_list and parent.kind() == "NODE_BIN_OP" and _sum_operand(parent) and \
                query.same_node(parent.last_child(), ident):
            left_end = parent.first_child().text_range()[1]
            pieces.append((left_end, ident.text_range()[1], ""))
            continue
        start, end = ident.text_range()
        pieces.append((start, end, operand(default)))
    return pieces


def _out_of_inherit(inherit, ident, binding: str, data: bytes) -> list:
    """Take IDENT out of INHERIT and write BINDING after it (on a line of its own when the
    inherit is written one name a line)."""
    names = [part for part in inherit.children() if part.kind() == "NODE_IDENT"]
    start, end = inherit.text_range()
    if len(names) == 1:
        return [(start, end, binding)]
    ident_start, ident_end = ident.text_range()
    before = ident_start
    while before > start and data[before - 1:before] in (b" ", b"\t", b"\n", b"\r"):
        before -= 1
    container = inherit.parent()
    own_line = container is not None and b"\n" in data[slice(*container.text_range())]
    after = f"\n{indent_of(data, start)}{binding}" if own_line else f" {binding}"
    return [(before, ident_end, ""), (end, end, after)]


def _plain(thunk):
    value = unwrap(force(thunk)) if thunk is not None else None
    return value if isinstance(value, (str, int, bool)) or value is None else object()


def _equal(a, b) -> bool:
    if a is b:
        return True
    left, right = unwrap(force(a)), unwrap(force(b))
    if left is right:
        return True
    plain = (str, int, float, bool, type(None))
    if isinstance(left, plain) and isinstance(right, plain):
        return type(left) is type(right) and left == right
    if isinstance(left, NixPath) and isinstance(right, NixPath):
        return left == right
    return False
