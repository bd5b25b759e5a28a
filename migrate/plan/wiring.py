"""What each host's `home-manager` settings hold, from the standalone configurations
attached to it: users and their modules, `sharedModules` (HM003), `extraSpecialArgs`
re-expressed in the scope where the host is defined (HM002), `useGlobalPkgs` and the
package set (HM001).

That scope is flake.nix's `outputs` (``FlakeScope``, values carried in by
``migrate.plan.carry.Carrier``), or a flake-parts module that defines the host
(``migrate.plan.module_sites.ModuleScope``): what it offers is the same, names in
scope, inputs, path literals, and values written elsewhere carried in.
"""

from __future__ import annotations

from typing import Optional

from migrate.analyze.packages import host_nixpkgs, shares_pkgs, standalone_pkgs
from migrate.analyze.values import AttrSet, External, NixList, NixPath, PathString, force, unwrap
from migrate.errors import MigrateError
from migrate.nix import emit
from migrate.plan.carry import Carrier, operand
from migrate.plan.flake import FlakeEditor, HostWiring
from migrate.plan.home_pkgs import package_module
from migrate.plan.output_names import output_path
from migrate.plan.paths import PathMap, nix_path


def input_of(name: str) -> tuple[Optional[str], list[str]]:
    """('nixvim', ['homeModules', 'nixvim']) for `inputs.nixvim.homeModules.nixvim`."""
    parts = name.split("/", 1)[0].split(".")
    if parts and parts[0] == "inputs" and len(parts) > 1:
        return parts[1], parts[2:]
    return (parts[0], parts[1:]) if parts else (None, [])


class FlakeScope:
    """flake.nix's `outputs`: the flake's formals and `let` names; values written elsewhere
    are carried in by a Carrier at the host's definition."""

    directory = ""

    def __init__(self, editor: FlakeEditor, carrier: Optional[Carrier] = None, outputs: Optional[dict] = None):
        self.editor = editor
        self.carrier = carrier
        self.editor_outputs = outputs  # flake file -> the outputs the analysis found roots in
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
        try:
            return self.carrier.carry(thunk, what)
        except MigrateError:
            named = self._output_name(force(thunk))
            if named is None:
                raise
            return named

    def _output_name(self, value) -> Optional[str]:
        """A module the flake also outputs (`inputs.self.homeModules.${user}` in a helper),
        named by its place there: `self.homeModules.ana`."""
        outputs = self.editor_outputs.get("flake.nix") if self.editor_outputs else None
        found = output_path(value, outputs) if outputs is not None else None
        if found is None:
            return None
        return ".".join([self.editor.input_expr("self")] + [emit.attr_key(p) for p in found])


class WiringBuilder:
    def __init__(self, analysis, editor: FlakeEditor, path_map: PathMap, findings):
        self.analysis = analysis
        self.editor = editor
        self.map = path_map
        self.findings = findings
        self.scope = FlakeScope(editor)
        self.carrier: Optional[Carrier] = None
        self.copied: list[str] = []  # notes on values copied out of other files, for the report

    def build(self, host, homes, scope=None) -> HostWiring:
        """The wiring of HOST, written for SCOPE (flake.nix's outputs when None)."""
        if scope is None:
            self.carrier = Carrier(self.editor, self.map, self.editor.wiring_site(host.name, host.where),
                                   getattr(self.analysis, "flake_outputs", None))
            self.scope = FlakeScope(self.editor, self.carrier, self.analysis.evaluator.outputs_of)
        else:
            self.carrier, self.scope = None, scope
        wiring = HostWiring(host=host.name, use_global_pkgs=True, module_imported=host.integrated,
                            kept_settings=frozenset(getattr(host, "hm_settings", {}) or {}))
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
        self._packages(host, homes, wiring)
        if self.carrier is not None:
            self.copied.extend(note for note in self.carrier.copied if note not in self.copied)
        return wiring

    # -- modules ----------------------------------------------------------------------------

    def _modules(self, home) -> tuple[list[str], list[str]]:
        modules, inputs = [], []
        for thunk, _importer, _conditions in home.entries:
            value = unwrap(force(thunk))
            written = self.scope.written(thunk, home) if isinstance(value, NixPath) else None
            if written is not None:
                modules.append(operand(written))  # `self.homeModules.base` says more than the path it holds
            elif isinstance(value, NixPath):
                target = self.map.target(value.path) or value.path
                if target.endswith("/default.nix") and not value.path.endswith("default.nix"):
                    target = target[: -len("/default.nix")]  # a folder is imported through its default.nix
                modules.append(nix_path(target, self.scope.directory))
            elif isinstance(value, External):
                inputs.append(self._external(value, home))
            else:
                modules.append(operand(self.scope.carry(thunk, f"a module of homeConfigurations.{home.name}", home)))
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
        if value is None or isinstance(value, (bool, int, float, str)) and not isinstance(value, PathString):
            if name in self.scope.names() and self.scope.let_constant(name) == value:
                return f"inherit {key};"
            return f"{key} = {emit.scalar_literal(value)};"
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

    # -- useGlobalPkgs and the package set (HM001) ---------------------------------------------

    def _packages(self, host, homes, wiring: HostWiring) -> None:
        """useGlobalPkgs, and the modules that give each user the packages they had.

        The host's `pkgs` (useGlobalPkgs = true) is what a user had only when their
        standalone `pkgs` came from the host's nixpkgs with settings the host already has
        and no Home Manager module sets `nixpkgs.*`. Otherwise Home Manager builds its own
        package set (useGlobalPkgs = false), and each user gets a module with the settings
        of their old `pkgs` (see home_pkgs); the host's own nixpkgs settings are never
        touched, since they also make the system's packages.
        """
        names = {h.name for h in homes}
        standalone = {home.name: standalone_pkgs(home) for home in homes}
        paths = {home.name: self._pkgs_path(host, home, standalone[home.name]) for home in homes}
        reasons = [f"{_file_line(standalone[name].where)}: homeConfigurations.{name} takes its packages from input "
                   f"{standalone[name].source}" for name in sorted(names) if paths[name] is not None]
        for finding in self.findings:
            concerned = sorted(set(finding.data.get("configurations") or []) & names) if finding.rule_id == "HM001" else []
            if not concerned:
                continue
            source = finding.data.get("source")
            if source == "module":
                reasons.append(f"{finding.location()}: a Home Manager module sets "
                               f"`{', '.join(finding.data.get('options') or [])}`")
            elif source == "pkgs argument" and not str(finding.data.get("action", "")).startswith(("drop", "kept")):
                reasons.append(f"{finding.location()}: the `pkgs` of {', '.join(concerned)} has settings host "
                               f"{host.name} does not have")
        wiring.use_global_pkgs = not reasons
        wiring.own_packages_because = reasons
        if not reasons:
            return
        for home in homes:
            pkgs = standalone[home.name]
            carrier = self.carrier or _ScopeCarrier(self.scope, home)
            module = package_module(pkgs, carrier, paths[home.name]) if pkgs is not None else None
            if module is not None:
                wiring.package_modules[home.user] = module

    def _pkgs_path(self, host, home, pkgs) -> Optional[str]:
        """The nixpkgs input Home Manager must import for HOME (`_module.args.pkgsPath`),
        when it is not the host's; None when it is (or the analysis cannot tell)."""
        host_input = host_nixpkgs(host)
        if pkgs is None or host_input is None or pkgs.source == host_input or shares_pkgs(host, home):
            return None
        carrier = self.carrier or _ScopeCarrier(self.scope, home)
        named = carrier.literal(External(f"inputs.{pkgs.source}")) if pkgs.source is not None else None
        if named is None:
            raise MigrateError(
                f"{pkgs.where or home.where}: HM001 homeConfigurations.{home.name} takes its packages from "
                f"{pkgs.source_text}, not from input {host_input} that builds host {host.name}, and not from a flake "
                "input Home Manager can import instead (`_module.args.pkgsPath`): as a NixOS module it would "
                "silently switch nixpkgs. Build `pkgs` from a flake input first; nothing was written")
        return named


class _ScopeCarrier:
    """The Carrier interface package_module uses, for a host defined in a flake module
    (whose scope carries values its own way: module arguments, a builder's parameters)."""

    def __init__(self, scope, home):
        self.scope = scope
        self.home = home

    def carry(self, thunk, what: str) -> str:
        try:
            return self.scope.carry(thunk, what, self.home)
        except MigrateError:
            # `config.allowUnfree = true;` makes a set no single expression wrote: plain
            # values are written out as they are.
            text = self.literal(force(thunk))
            if text is None:
                raise
            return text

    def literal(self, value, depth: int = 0) -> Optional[str]:
        value = unwrap(force(value))
        leaf = self.scope._value_text(value)
        if leaf is not None or depth >= 3:
            return leaf
        if isinstance(value, AttrSet) and len(value.attrs) <= 40:
            parts = [(key, self.literal(value.attrs[key], depth + 1)) for key in sorted(value.attrs)]
            if any(text is None for _key, text in parts):
                return None
            return "{ " + " ".join(f"{emit.attr_key(key)} = {text};" for key, text in parts) + " }" if parts else "{ }"
        if isinstance(value, NixList) and len(value.items) <= 40:
            items = [self.literal(item, depth + 1) for item in value.items]
            return None if any(i is None for i in items) else ("[ " + " ".join(operand(i) for i in items) + " ]"
                                                                if items else "[ ]")
        return None


def _file_line(where: Optional[str]) -> str:
    """`flake.nix:12` of `flake.nix:12:5`, as findings name places."""
    parts = (where or "flake.nix").split(":")
    return ":".join(parts[:2])


