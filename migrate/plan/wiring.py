"""What each host's `home-manager` settings hold, from the standalone configurations
attached to it: users and their modules, `sharedModules` (HM003), `extraSpecialArgs`
re-expressed in the scope where the host is defined (HM002), `useGlobalPkgs` (HM001).

That scope is flake.nix's `outputs` (``FlakeScope``), or a flake-parts module that
defines the host (``migrate.plan.module_sites.ModuleScope``): what it offers is the same,
names in scope, inputs, path literals, and values written elsewhere carried in.
"""

from __future__ import annotations

from typing import Optional

from migrate.analyze.values import External, NixPath, PkgsInstance, force, unwrap
from migrate.errors import MigrateError
from migrate.nix import emit
from migrate.plan.flake import FlakeEditor, HostWiring
from migrate.plan.paths import PathMap, nix_path


def input_of(name: str) -> tuple[Optional[str], list[str]]:
    """('nixvim', ['homeModules', 'nixvim']) for `inputs.nixvim.homeModules.nixvim`."""
    parts = name.split("/", 1)[0].split(".")
    if parts and parts[0] == "inputs" and len(parts) > 1:
        return parts[1], parts[2:]
    return (parts[0], parts[1:]) if parts else (None, [])


class FlakeScope:
    """flake.nix's `outputs`: the flake's formals and `let` names; values written elsewhere
    cannot be carried in, only paths and inputs."""

    directory = ""

    def __init__(self, editor: FlakeEditor):
        self.editor = editor
        self._names = editor.scope_names()

    def names(self) -> set[str]:
        return self._names

    def input_expr(self, name: str) -> str:
        return self.editor.input_expr(name)

    def let_constant(self, name: str):
        return self.editor.let_constant(name)

    def written(self, thunk, home=None):
        return None  # a path is written as a path, relative to the flake

    def carry(self, thunk, what: str, home=None, special_arg=None) -> str:
        where = thunk.where() if hasattr(thunk, "where") else None
        if where and where.startswith("flake.nix:"):
            text = thunk.source_text()
            if text:
                return text if "\n" not in text else f"({text})"
        raise MigrateError(f"{what} is written at {where or 'an unknown place'}, outside flake.nix's scope: "
                           "the tool cannot carry it into the host's wiring; nothing was written")


class WiringBuilder:
    def __init__(self, analysis, editor: FlakeEditor, path_map: PathMap, findings):
        self.analysis = analysis
        self.editor = editor
        self.map = path_map
        self.findings = findings
        self.scope = FlakeScope(editor)

    def build(self, host, homes, scope=None) -> HostWiring:
        """The wiring of HOST, written for SCOPE (flake.nix's outputs when None)."""
        self.scope = scope or FlakeScope(self.editor)
        wiring = HostWiring(host=host.name, use_global_pkgs=self._global_pkgs(host, homes))
        per_user_inputs: dict[str, list[str]] = {}
        for home in homes:
            modules, inputs = self._modules(home)
            wiring.users[home.user] = modules
            per_user_inputs[home.user] = inputs
            wiring.replaces.append(home.name)
        common = [m for m in next(iter(per_user_inputs.values()), []) if all(m in v for v in per_user_inputs.values())]
        wiring.shared_modules = common
        for user, inputs in per_user_inputs.items():
            wiring.users[user] = [m for m in inputs if m not in common] + wiring.users[user]
        wiring.extra_special_args = self._extra_special_args(host, homes)
        return wiring

    # -- modules ----------------------------------------------------------------------------

    def _modules(self, home) -> tuple[list[str], list[str]]:
        modules, inputs = [], []
        for thunk, _importer, _conditions in home.entries:
            value = unwrap(force(thunk))
            written = self.scope.written(thunk, home) if isinstance(value, NixPath) else None
            if written is not None:
                modules.append(list_item(written))  # `self.homeModules.base` says more than the path it holds
            elif isinstance(value, NixPath):
                target = self.map.target(value.path) or value.path
                if target.endswith("/default.nix") and not value.path.endswith("default.nix"):
                    target = target[: -len("/default.nix")]  # a folder is imported through its default.nix
                modules.append(nix_path(target, self.scope.directory))
            elif isinstance(value, External):
                inputs.append(self._external(value, home))
            else:
                modules.append(list_item(self.scope.carry(thunk, f"a module of homeConfigurations.{home.name}", home)))
        return modules, inputs

    def _external(self, value: External, home) -> str:
        name, rest = input_of(value.name)
        if name is None or "/" in value.name:
            raise MigrateError(f"homeConfigurations.{home.name}: module {value.text or value.name} cannot be "
                               "carried into flake.nix; nothing was written")
        return ".".join([self.scope.input_expr(name)] + [emit.attr_key(p) for p in rest])

    # -- extraSpecialArgs (HM002) ----------------------------------------------------------

    def _extra_special_args(self, host, homes) -> list[str]:
        chosen: dict[str, tuple[str, str]] = {}
        for home in homes:
            args = home.args
            for name in sorted(getattr(args, "attrs", {}) or {}):
                line = self._express(name, args.attrs[name], home, host)
                if name in chosen and chosen[name][0] != line:
                    raise MigrateError(
                        f"host {host.name}: users {chosen[name][1]} and {home.user} pass different "
                        f"extraSpecialArgs.{name}, but a NixOS host has one extraSpecialArgs for all its "
                        "users; attach one of them elsewhere with --attach, or make them agree; nothing was written")
                chosen[name] = (line, home.user)
        return [line for line, _user in chosen.values()]

    def _express(self, name: str, thunk, home, host) -> str:
        value = unwrap(force(thunk))
        key = emit.attr_key(name)
        if value is None or isinstance(value, (bool, int, float, str)):
            if name in self.scope.names() and self.scope.let_constant(name) == value:
                return f"inherit {key};"
            return f"{key} = {_literal(value)};"
        if isinstance(value, NixPath):
            return f"{key} = {nix_path(self.map.target(value.path) or value.path, self.scope.directory)};"
        if name in self.scope.names():
            return f"inherit {key};"  # same name where the host is: verification compares the values
        if isinstance(value, External):
            input_name, rest = input_of(value.name)
            if input_name and "/" not in value.name:
                return f"{key} = {'.'.join([self.scope.input_expr(input_name)] + rest)};"
        text = self.scope.carry(thunk, f"extraSpecialArgs.{name} of homeConfigurations.{home.name}", home, name)
        return f"{key} = {text};"

    # -- useGlobalPkgs (HM001) -----------------------------------------------------------------

    def _global_pkgs(self, host, homes) -> bool:
        """True unless Home Manager modules configure their own package set.

        Modules that set `nixpkgs.config`/`overlays` keep working only with
        useGlobalPkgs = false, where Home Manager builds its packages from the
        host's nixpkgs source plus those settings, as standalone did; editing them
        out would break the configurations that stay standalone.
        """
        names = {h.name for h in homes}
        for home in homes:
            self._check_same_nixpkgs(host, home)
        use_global = True
        for finding in self.findings:
            if finding.rule_id != "HM001":
                continue
            concerned = set(finding.data.get("configurations") or []) & names
            if not concerned:
                continue
            action = str(finding.data.get("action", ""))
            if finding.data.get("source") == "pkgs argument":
                if not action.startswith(("drop", "kept")):
                    raise MigrateError(
                        f"{finding.location()}: HM001 {', '.join(sorted(concerned))} builds `pkgs` with settings host "
                        f"{host.name} does not have; carrying them into a NixOS-module Home Manager is not automated "
                        "yet: move them to a Home Manager module (`nixpkgs.config`) or to the host first; nothing was written")
            else:
                use_global = False
        return use_global

    def _check_same_nixpkgs(self, host, home) -> None:
        call = home.call
        pkgs = call.args.attrs.get("pkgs") if call is not None and hasattr(call.args, "attrs") else None
        if pkgs is None:
            return
        value = unwrap(force(pkgs))
        source = value.source.name if isinstance(value, PkgsInstance) else getattr(value, "name", None)
        host_fn = host.call.function if host.call is not None else None
        if not source or not host_fn:
            return
        home_input, _ = input_of(source)
        host_input, _ = input_of(host_fn)
        if home_input and host_input and host_input != "lib" and home_input != host_input:
            raise MigrateError(
                f"HM001 homeConfigurations.{home.name} takes its packages from input {home_input} while host "
                f"{host.name} is built from {host_input}; as a NixOS module Home Manager would silently switch "
                "nixpkgs. Align them first; nothing was written")


_LIST_ITEM_KINDS = ("NODE_IDENT", "NODE_PATH_REL", "NODE_PATH_ABS", "NODE_PATH_HOME", "NODE_PATH_SEARCH", "NODE_STRING",
                    "NODE_LITERAL", "NODE_ATTR_SET", "NODE_LIST", "NODE_PAREN")


def list_item(text: str) -> str:
    """TEXT as one element of a list: a function application or an `or` needs parentheses."""
    from migrate.nix.parse import parse_text
    try:
        node = parse_text(text, "<wiring>").expression
    except MigrateError:
        return f"({text})"
    kind = node.kind() if node is not None else None
    if kind in _LIST_ITEM_KINDS or (kind == "NODE_SELECT" and not node.find_children_by_kind("TOKEN_OR")
                                    and " or " not in text):
        return text
    return f"({text})"


def _literal(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return emit.string_literal(value)
    return repr(value)
