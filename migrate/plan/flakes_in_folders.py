"""Several flakes in one repository, none at the top (migrate/analyze/flakes_in_folders.py):
the host's own flake is edited in place, as its author would. It gets a `home-manager`
input (the release the home's flake used, following the host's nixpkgs), and the host's
`modules` list gets the Home Manager NixOS module and a module naming the user's home
files, by paths relative to the host's flake. Nothing moves; the home's flake is left as
it is (the report says it is no longer needed on that host).
"""

from __future__ import annotations

import posixpath

from migrate.analyze.graph import where_parts
from migrate.analyze.values import AttrSet, External, NixPath, force, unwrap
from migrate.errors import MigrateError
from migrate.nix import emit, query
from migrate.nix.edit import ChangeSet
from migrate.plan.flake import FlakeEditor, HostWiring, backup_extension
from migrate.plan.paths import nix_path
from migrate.plan.wiring import input_of

_DEFAULT_HOME_MANAGER = "github:nix-community/home-manager"


def make_flakes_in_folders_plan(analysis, snapshot, findings):
    from migrate.plan import Plan, build_tree, migrating_homes, nothing_to_do

    per_host, kept = migrating_homes(analysis)
    if not per_host:
        return Plan(nothing_to_do=nothing_to_do(analysis, kept))
    plan = Plan()
    plan.backup_extension = backup_extension(findings)
    plan.kept_standalone = sorted(h.name for h in kept)
    editors: dict[str, _HostFlake] = {}
    for host_name, homes in sorted(per_host.items()):
        host = analysis.hosts[host_name]
        flake = _flake_of(host)
        editor = editors.get(flake)
        if editor is None:
            editor = editors[flake] = _HostFlake(analysis, flake)
        plan.wirings.append(editor.add_home_manager(host, homes, findings, plan))
        plan.migrating.extend(h.name for h in homes)
    plan.migrating = sorted(set(plan.migrating))
    edits = {path: editor.changes for path, editor in editors.items()}
    build_tree(snapshot, {}, edits, plan)
    return plan


def _flake_of(root) -> str:
    file, _line = where_parts(root.where)
    return file or "flake.nix"


class _HostFlake:
    """One host flake being edited (several of its hosts may get users)."""

    def __init__(self, analysis, path: str):
        self.analysis = analysis
        self.path = path
        self.folder = posixpath.dirname(path)
        self.nix = analysis.evaluator.parse(path)
        try:
            self.editor = FlakeEditor(self.nix, "home-manager")
        except MigrateError as error:
            raise MigrateError(str(error).replace("flake.nix:", f"{path}:", 1)) from None
        self.changes: ChangeSet = self.editor.changes
        self.inputs = analysis.flake_inputs.get(path, {})
        self.input_added = False

    def add_home_manager(self, host, homes, findings, plan) -> HostWiring:
        self._ensure_input(homes, plan)
        module = f"{self.editor.input_expr('home-manager')}.nixosModules.home-manager"
        wiring = HostWiring(host=host.name, use_global_pkgs=_use_global_pkgs(homes, findings),
                            form="its modules list")
        for home in homes:
            wiring.users[home.user] = [self._module_text(thunk, home) for thunk, _importer, _c in home.entries]
            wiring.replaces.append(home.name)
            for name in sorted(getattr(home.args, "attrs", {}) or {}):
                wiring.extra_special_args.append(self._special_arg(name, home.args.attrs[name], home))
        modules = self._modules_list(host)
        self.changes.insert_list_element(modules, module)
        self.changes.insert_list_element(modules, self._settings(wiring, homes, plan.backup_extension))
        for home in homes:
            plan.notes.append(
                f"{home.name}: now Home Manager user {home.user} of {host.name}, set in {self.path}; "
                f"{_flake_of(home)} still builds it standalone: stop running `home-manager switch` for it there")
        self._note_nixpkgs(homes, plan)
        return wiring

    # -- inputs ---------------------------------------------------------------------------

    def _ensure_input(self, homes, plan) -> None:
        plan.expected_new_inputs.add((self.path, "home-manager"))
        if "home-manager" in self.inputs or self.input_added:
            if self.editor.follow_nixpkgs("home-manager"):
                plan.notes.append(f"HM010: {self.path}: input home-manager now follows nixpkgs")
            return
        url = self._home_manager_url(homes)
        text = "home-manager = {\n" f"  url = {emit.string_literal(url)};\n"
        if "nixpkgs" in self.inputs:
            text += '  inputs.nixpkgs.follows = "nixpkgs";\n'
        text += "};"
        inputs = query.find_binding(self.editor.top, ("inputs",))
        if inputs is not None and query.unparen(inputs).kind() == "NODE_ATTR_SET":
            self.changes.insert_binding(query.unparen(inputs), text)
        else:
            self.changes.insert_binding(self.editor.top, "inputs." + text)
        self.input_added = True
        plan.notes.append(f"HM010: {self.path}: input home-manager added ({url}, the one {_flake_of(homes[0])} "
                          "uses), following this flake's nixpkgs")

    def _home_manager_url(self, homes) -> str:
        for home in homes:
            function = home.call.function if home.call is not None else ""
            name, _rest = input_of(function)
            declared = self.analysis.flake_inputs.get(_flake_of(home), {})
            for candidate in (name, "home-manager"):
                description = declared.get(candidate or "")
                if description and description.startswith("url="):
                    return description.split(",")[0][len("url="):]
                if description and "=" not in description:
                    return description
        return _DEFAULT_HOME_MANAGER

    def _note_nixpkgs(self, homes, plan) -> None:
        mine = self.inputs.get("nixpkgs")
        for home in homes:
            theirs = self.analysis.flake_inputs.get(_flake_of(home), {}).get("nixpkgs")
            if mine and theirs and mine.lower() != theirs.lower():  # GitHub owners are case-insensitive
                plan.notes.append(
                    f"HM001: {home.name} took its packages from the nixpkgs of {_flake_of(home)} ({theirs}); as a "
                    f"NixOS module, Home Manager uses the host's, from {self.path} ({mine}): check the versions")

    # -- what goes into the host's modules ------------------------------------------------

    def _module_text(self, thunk, home) -> str:
        value = unwrap(force(thunk))
        if isinstance(value, NixPath) and value.path is not None:
            target = value.path
            if target.endswith("/default.nix") and not _written_with_default(thunk):
                target = posixpath.dirname(target)
            return nix_path(target, self.folder)
        if isinstance(value, External):
            return self._input_value(value, home, "module")
        raise self._cannot_carry(thunk, home, "a module")

    def _special_arg(self, name: str, thunk, home) -> str:
        value = unwrap(force(thunk))
        key = emit.attr_key(name)
        if value is None or isinstance(value, (bool, int, str)):
            return f"{key} = {emit.scalar_literal(value)};"
        if isinstance(value, NixPath) and value.path is not None:
            return f"{key} = {nix_path(value.path, self.folder)};"
        if isinstance(value, External):
            return f"{key} = {self._input_value(value, home, f'extraSpecialArgs.{name}')};"
        raise self._cannot_carry(thunk, home, f"extraSpecialArgs.{name}")

    def _input_value(self, value: External, home, what: str) -> str:
        name, rest = input_of(value.name)
        theirs = self.analysis.flake_inputs.get(_flake_of(home), {}).get(name or "")
        if not name or "/" in value.name or theirs is None or self.inputs.get(name) != theirs:
            raise MigrateError(
                f"{home.where}: {what} of {home.name} comes from input {name} of {_flake_of(home)}, which "
                f"{self.path} does not declare the same way; add it there (same url) and run again; nothing was written")
        return ".".join([self.editor.input_expr(name)] + [emit.attr_key(part) for part in rest])

    def _cannot_carry(self, thunk, home, what: str) -> MigrateError:
        where = thunk.where() if hasattr(thunk, "where") else None
        return MigrateError(f"{where or home.where}: {what} of {home.name} is an expression of {_flake_of(home)} "
                            f"that cannot be carried into {self.path}; make it a file or a plain value and run "
                            "again; nothing was written")

    def _modules_list(self, host):
        value = self.editor.root_value("nixosConfigurations", host.name, None)
        call = query.unparen(value) if value is not None else None
        args = None
        if call is not None and call.kind() == "NODE_APPLY":
            args = query.unparen(call.last_child())
        modules = query.find_binding(args, ("modules",)) if args is not None and args.kind() == "NODE_ATTR_SET" else None
        modules = query.unparen(modules) if modules is not None else None
        if modules is None or modules.kind() != "NODE_LIST":
            raise MigrateError(f"{host.where}: nixosConfigurations.{host.name} is not written as "
                               "`<nixpkgs>.lib.nixosSystem { ... modules = [ ... ]; }`, where the Home Manager module "
                               "would be added; nothing was written")
        return modules

    def _settings(self, wiring: HostWiring, homes, extension: str) -> str:
        lines = ["{",
                 f"  # Home Manager as a NixOS module (hm-migrate): {', '.join(h.name for h in homes)}, "
                 f"which {_flake_of(homes[0])} builds standalone",
                 f"  home-manager.useGlobalPkgs = {'true' if wiring.use_global_pkgs else 'false'};",
                 "  home-manager.useUserPackages = true;",
                 f"  home-manager.backupFileExtension = {emit.string_literal(extension)};"]
        if wiring.extra_special_args:
            lines.append("  home-manager.extraSpecialArgs = {")
            lines += [f"    {line}" for line in wiring.extra_special_args]
            lines.append("  };")
        for user, modules in wiring.users.items():
            lines.append(f"  home-manager.users.{emit.attr_key(user)}.imports = [ {' '.join(modules)} ];")
        lines.append("}")
        return "\n".join(lines)


def _written_with_default(thunk) -> bool:
    text = thunk.source_text() if hasattr(thunk, "source_text") else None
    return bool(text and text.rstrip().endswith("default.nix"))


def _use_global_pkgs(homes, findings) -> bool:
    """False when Home Manager modules set nixpkgs.* (HM001), which useGlobalPkgs would ignore."""
    names = {h.name for h in homes}
    for finding in findings:
        if finding.rule_id != "HM001" or not set(finding.data.get("configurations") or []) & names:
            continue
        if finding.data.get("source") == "pkgs argument":
            if not str(finding.data.get("action", "")).startswith("drop"):
                raise MigrateError(f"{finding.location()}: HM001 the home's `pkgs` has settings the host does not "
                                   "have; move them to a Home Manager module (`nixpkgs.config`) or to the host first; "
                                   "nothing was written")
        else:
            return False
    return True


