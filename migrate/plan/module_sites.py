"""The flake edits where `outputs` is computed by a function (flake-parts' mkFlake,
flake-utils' eachDefaultSystem): hosts and homes are edited where the analysis found
their definitions (file:line:col), in flake.nix or in the flake modules it imports.

A host whose nixosSystem call is written in its own definition gets Home Manager in its
`modules` list (host_forms.py). For the others the wrapper is defined in flake.nix's
`outputs` as for any flake, and given to the flake modules as a module argument
(`_module.args.withHomeManager = withHomeManager;` in the top module); a module that
wraps a host asks for it by name (`{ inputs, withHomeManager, ... }:`). A host or a
home written as its own binding is edited there; one computed with others (`mapAttrs`,
`pipe`, a builder that names them) is edited where its whole set is defined. The wiring
is written in the scope of the host's definition: values from the home's own file are
carried when they mean the same there (module arguments, `let` definitions), or named
through the flake's outputs (`self.homeModules.base`).
"""

from __future__ import annotations

from typing import Optional

from migrate.analyze.graph import where_parts
from migrate.analyze.values import AttrSet, External, NixPath, force, unwrap
from migrate.errors import MigrateError
from migrate.nix import emit, query
from migrate.plan.carry import copied_note, copies_a_body
from migrate.plan.site_carry import Carrier, Destination, lexical_names
from migrate.plan.file_edits import FileEditor, indent_of
from migrate.plan.host_forms import own_modules_list, wire_in_list
from migrate.plan.paths import nix_path
from migrate.plan.output_names import output_path
from migrate.plan.wiring import input_of

# Output collections whose members are modules (flake-parts' `flake.modules.<class>.<name>` too).


class Site:
    """A definition: the `name = value;` binding in FILE, or `inherit (<expression>) name;`
    (``inherited`` is then the name, ``binding`` the NODE_INHERIT and ``value`` None)."""

    __slots__ = ("file", "binding", "value", "inherited")

    def __init__(self, file: str, binding, value, inherited: Optional[str] = None):
        self.file = file
        self.binding = binding
        self.value = value
        self.inherited = inherited

    @property
    def anchor(self):
        """The node the wiring is written at (for the names in scope there)."""
        return self.value if self.value is not None else self.binding


def find_site(nix, where: Optional[str], key: Optional[str] = None, of_set: bool = False) -> Optional[Site]:
    """The binding whose value the analysis saw at WHERE (file:line:col); with KEY, only
    one whose name is KEY (or computed: `"${name}" = ...`); a whole set (OF_SET) may also
    be inherited from an expression (`inherit (import ./hosts { }) nixosConfigurations;`)."""
    if not where or not where.startswith(nix.path + ":"):
        return None
    values = nix.derived.get("binding values")
    if values is None:
        values = nix.derived["binding values"] = {}
        for binding in nix.root.find_by_kind("NODE_ATTRPATH_VALUE"):
            value = binding.last_child()
            for node in {nix.where(value): value, nix.where(query.unparen(value) or value): value}:
                values.setdefault(node, binding)
    binding = values.get(where)
    if binding is None:
        return _inherit_site(nix, where, key)
    if key is not None and not of_set:
        last = query.attrpath_names(binding.first_child())[-1]
        if last != key and "${" not in last:
            return None
    return Site(nix.path, binding, binding.last_child())


def _inherit_site(nix, where: str, name: Optional[str]) -> Optional[Site]:
    """`inherit (<expression at WHERE>) NAME;`: the set is the expression's attribute."""
    if name is None:
        return None
    for inherit in nix.root.find_by_kind("NODE_INHERIT"):
        sources = inherit.find_children_by_kind("NODE_INHERIT_FROM")
        if not sources:
            continue
        expression = sources[0].first_child()
        if nix.where(expression) != where and nix.where(query.unparen(expression) or expression) != where:
            continue
        if any(query.attr_name(part) == name for part in inherit.children()
               if part.kind() in ("NODE_IDENT", "NODE_STRING")):
            return Site(nix.path, inherit, None, inherited=name)
    return None


def module_function(nix):
    """The lambda a module file is (under `let`s and parentheses), or None."""
    node = query.unparen(nix.expression)
    while node is not None and node.kind() == "NODE_LET_IN":
        node = query.unparen(node.last_child())
    return node if node is not None and node.kind() == "NODE_LAMBDA" else None


def mk_flake_module(editor):
    """The module argument of `mkFlake { ... } MODULE` in flake.nix's outputs, or None."""
    node = query.body(editor.lam_body) if editor.lam_body.kind() == "NODE_LET_IN" else editor.lam_body
    node = query.unparen(node)
    if node is None or node.kind() != "NODE_APPLY":
        return None
    function, args = query.apply_spine(node)
    if len(args) != 2 or not function.text().split(".")[-1] == "mkFlake":
        return None
    return query.unparen(args[1])


class ModuleArgs:
    """The module arguments one flake module file is made to ask for."""

    def __init__(self, editor: FileEditor, module_lambda, where: str):
        self.editor = editor
        self.lam = module_lambda
        self.where = where
        self.added: list[str] = []
        self.formals = query.formals(module_lambda) if module_lambda is not None else None

    def require(self, name: str) -> bool:
        if self.formals is not None and name in self.formals.names:
            return True
        if self.formals is not None and self.formals.ident not in (None, "_"):
            return False  # `args: ...` gets only config, lib and options by this name
        if name not in self.added:
            self.added.append(name)
        return True

    def finish(self) -> None:
        if not self.added:
            return
        if self.formals is not None and self.formals.is_pattern:
            for name in self.added:
                self.editor.changes.add_formal(self.lam, name)
            return
        pattern = "{ " + ", ".join(self.added) + ", ... }"
        if self.formals is not None:  # `_: { ... }`: the argument was unused
            self.editor.changes.replace(self.lam.first_child(), pattern)
            return
        start = self.editor.nix.expression.text_range()[0]
        self.editor.changes.insert(start, pattern + ":\n")


class ModuleScope:
    """What a host's wiring may name at its definition in a flake module: see wiring.py."""

    def __init__(self, planner: "FlakePartsEdits", site_node, file: str):
        self.planner = planner
        self.file = file
        new_file = planner.path_map.file(file)
        self.directory = new_file.rsplit("/", 1)[0] if "/" in new_file else ""
        args = planner.args_of(file)
        self.destination = Destination(site_node, file, args.require if args is not None else None)
        self.carrier = self._carrier(None)

    def _carrier(self, home) -> Carrier:
        """A carrier for values of HOME's configuration: a name its builder's parameters
        bind is written as the value the analysis evaluated it with."""
        written = None
        call = getattr(home, "call", None)
        if call is not None and call.written is not None:
            expr, scope = call.written
            written = (expr.node, expr.src.path, scope)
        return Carrier(self.destination, self.planner.is_module_function, self.planner.analysis.evaluator.parse,
                       written, self._value_text)

    def _value_text(self, value) -> Optional[str]:
        value = unwrap(value)
        if value is None or isinstance(value, (bool, int, float, str)):
            return emit.scalar_literal(value)
        if isinstance(value, NixPath):
            return nix_path(self.planner.path_map.target(value.path) or value.path, self.directory)
        if isinstance(value, External):
            name, rest = input_of(value.name)
            if name and value.name.startswith("inputs.") and "/" not in value.name:
                return ".".join([self.input_expr(name)] + [emit.attr_key(p) for p in rest])
        return None

    def names(self) -> set[str]:
        return self.destination.names()

    def let_constant(self, name: str):
        return None

    def input_expr(self, name: str) -> str:
        if self.file == "flake.nix" and name in self.planner.editor.scope_names():
            return self.planner.editor.input_expr(name)
        inputs = "inputs"
        if inputs in self.names() and not self.carrier._only_module_arg(inputs):
            raise MigrateError(f"{self.file}: `inputs` is bound to something else where host wiring is written; "
                               "nothing was written")
        if self.destination.require_arg is None or not self.destination.require_arg(inputs):
            raise MigrateError(f"{self.file}: cannot name input {name} there (no module argument `inputs`); "
                               "nothing was written")
        return ".".join([inputs, emit.attr_key(name)])

    def written(self, thunk, home=None) -> Optional[str]:
        """The text of a module the home names by expression (`self.homeModules.base`), when
        it means the same here; None for a path literal, which is re-expressed as a path."""
        node = getattr(getattr(thunk, "expr", None), "node", None)
        src = getattr(getattr(thunk, "expr", None), "src", None)
        if node is None or src is None or query.unparen(node).kind().startswith("NODE_PATH"):
            return None
        text = self._carrier(home).text(node, src.path)
        if text is not None:
            self._note_copy(f"homeConfigurations.{home.name}" if home is not None else "a module", node, src.path)
        return text

    def _note_copy(self, what: str, node, file: str) -> None:
        if file == self.file or not copies_a_body(node):
            return
        line = self.planner.analysis.evaluator.parse(file).line_col(node.text_range()[0])[0]
        note = copied_note(what, f"{file}:{line}", self.file)
        if note not in self.planner.copied:
            self.planner.copied.append(note)

    def carry(self, thunk, what: str, home=None, special_arg: Optional[str] = None) -> str:
        expr = getattr(thunk, "expr", None)
        node = getattr(expr, "node", None)
        src = getattr(expr, "src", None)
        file = src.path if src is not None else None
        if node is None and special_arg is not None:
            # `extraSpecialArgs = { inherit self'; }`: the value is the argument's own
            # thunk; what the user wrote is the name in the set.
            node, file = _written_special_arg(home, special_arg)
        if node is not None and file is not None:
            text = self._carrier(home).text(node, file)
            if text is not None:
                self._note_copy(what, node, file)
                return text
        named = self.planner.output_name(force(thunk), self)
        if named is not None:
            return named
        where = thunk.where() if hasattr(thunk, "where") else None
        raise MigrateError(f"{what} is written at {where or 'an unknown place'} with names that mean something else "
                           f"(or nothing) in {self.file}, where the host is defined: the tool cannot carry it into the "
                           "host's wiring; nothing was written")


class FlakePartsEdits:
    """The edits of one flake-parts flake: which file holds each definition, its editor,
    the module arguments each module asks for, and the helper shared with them."""

    def __init__(self, analysis, editor, edits: dict, path_map):
        self.analysis = analysis
        self.editor = editor  # FlakeEditor of flake.nix
        self.edits = edits
        self.path_map = path_map
        # Without flake-parts (outputs computed by flake-utils' eachDefaultSystem, say),
        # flake.nix is the one file edited.
        self.parts = analysis.evaluator.flake_parts[0] if analysis.evaluator.flake_parts else None
        self.module_files = self.parts.module_files() if self.parts is not None else set()
        self.editors: dict[str, FileEditor] = {"flake.nix": editor}
        self._args: dict[str, Optional[ModuleArgs]] = {}
        self.shared = False
        self.copied: list[str] = []  # notes on expressions copied out of other files

    # -- files, module functions and arguments ----------------------------------------------

    def editor_of(self, file: str) -> FileEditor:
        found = self.editors.get(file)
        if found is None:
            found = self.editors[file] = FileEditor(self.analysis.evaluator.parse(file))
            found.helper = self.editor.helper
            if file in self.edits:
                found.changes.replacements.extend(self.edits[file].replacements)
        return found

    def args_of(self, file: str) -> Optional[ModuleArgs]:
        """How the flake module in FILE asks for module arguments (None outside one)."""
        if file in self._args:
            return self._args[file]
        found = None
        if file == "flake.nix":
            module = mk_flake_module(self.editor)
            if module is not None and module.kind() == "NODE_LAMBDA":
                found = ModuleArgs(self.editor, module, file)
        elif file in self.module_files:
            editor = self.editor_of(file)
            found = ModuleArgs(editor, module_function(editor.nix), file)
        self._args[file] = found
        return found

    def is_module_function(self, file: str, lam) -> bool:
        args = self.args_of(file)
        return args is not None and args.lam is not None and query.same_node(args.lam, lam)

    # -- sites ----------------------------------------------------------------------------------

    def site_of(self, root, shared_wheres: set) -> tuple[Optional[Site], Optional[Site]]:
        """(own site, set site) of ROOT: its own binding when written on its own, else the
        definition of the whole set."""
        own = None
        file, _line = where_parts(root.where)
        if file and root.where not in shared_wheres and self._editable(file):
            own = find_site(self.analysis.evaluator.parse(file), root.where, root.name)
        if own is not None:
            return own, None
        set_file, _line = where_parts(root.set_where)
        if set_file and self._editable(set_file):
            attribute = "nixosConfigurations" if root.kind == "nixos" else "homeConfigurations"
            return None, find_site(self.analysis.evaluator.parse(set_file), root.set_where, attribute, of_set=True)
        return None, None

    def _editable(self, file: str) -> bool:
        return file == "flake.nix" or file in self.module_files

    def where_helper_is_used(self, sites: list[Site]) -> set[str]:
        taken: set[str] = set()
        for site in sites:
            taken |= lexical_names(site.anchor)
        return taken

    def helper_in(self, site: Site, helper: str) -> str:
        """The helper's name at SITE: in scope in flake.nix, a module argument elsewhere."""
        if site.file == "flake.nix":
            return helper
        args = self.args_of(site.file)
        if args is None or not args.require(helper):
            raise MigrateError(f"{site.file}: the flake module there does not take named arguments "
                               f"(`{{ ... }}:`), so it cannot be given {helper}; nothing was written")
        self.shared = True
        return helper

    def share_helper(self, helper: str) -> None:
        """`_module.args.<helper> = <helper>;` in flake.nix's top module."""
        module = mk_flake_module(self.editor)
        if module is None:
            raise MigrateError("flake.nix: `outputs` is not a plain `mkFlake { ... } <module>` call the tool can give "
                               f"{helper} to; nothing was written")
        body = query.body(module) if module.kind() == "NODE_LAMBDA" else module
        line = f"_module.args.{helper} = {helper};"
        comment = f"# hm-migrate: the flake modules that build hosts take {helper} as a module argument"
        if body is not None and body.kind() == "NODE_ATTR_SET":
            self.editor.changes.insert_binding(body, f"{comment}\n{line}")
            return
        outer = module
        while outer.parent() is not None and outer.parent().kind() == "NODE_PAREN":
            outer = outer.parent()
        start, end = outer.text_range()
        indent = indent_of(self.editor.nix.data, start)
        opening, closing = ("", "") if outer.kind() == "NODE_PAREN" or _atomic_text(outer) else ("(", ")")
        self.editor.changes.insert(start, f"{{\n{indent}  imports = [ {opening}")
        self.editor.changes.insert(end, f"{closing} ];\n{indent}  {comment}\n{indent}  {line}\n{indent}}}")

    # -- naming a module through the flake's outputs ----------------------------------------------

    def output_name(self, value, scope: ModuleScope) -> Optional[str]:
        """`self.homeModules.base` for a module the flake also outputs (found by identity)."""
        value = unwrap(value)
        if isinstance(value, NixPath):
            target = self.path_map.target(value.path) or value.path
            return nix_path(target, scope.directory)
        found = output_path(value, self.parts.outputs()) if self.parts is not None else None
        if found is None:
            return None
        if scope.destination.require_arg is None or not scope.destination.require_arg("self"):
            return None
        if "self" in scope.names() and not scope.carrier._only_module_arg("self"):
            return None
        return ".".join(["self"] + [emit.attr_key(p) for p in found])

    def finish(self) -> None:
        for args in self._args.values():
            if args is not None:
                args.finish()
        for file, editor in self.editors.items():
            editor.finish_removals()
            self.edits[file] = editor.changes

    def removed_comments(self) -> list:
        return [entry for editor in self.editors.values() for entry in editor.removed_comments]


def edit_definitions(analysis, editor, edits: dict, path_map, per_host: dict, builder, hm_module: str,
                     extension: str, hm_input: str, natural: bool = True) -> tuple[list, list]:
    """Wrap the migrating hosts and replace their homes where they are defined (flake.nix,
    or the flake modules of a flake-parts flake); returns the wirings. EDITS gets the
    change set of every file edited."""
    planner = FlakePartsEdits(analysis, editor, edits, path_map)
    planner.copied = builder.copied
    homes = [home for hs in per_host.values() for home in hs]
    roots = [analysis.hosts[name] for name in per_host] + homes
    wheres = [root.where for root in roots]
    shared = {where for where in wheres if wheres.count(where) > 1}
    sites = {}
    for root in roots:
        own, whole = planner.site_of(root, shared)
        if own is None and whole is None:
            raise MigrateError(_not_editable(root))
        sites[id(root)] = (own, whole)
    wirings, host_scopes = [], {}
    for name, host_homes in sorted(per_host.items()):
        host = analysis.hosts[name]
        site = sites[id(host)][0] or sites[id(host)][1]
        host_scopes[name] = ModuleScope(planner, site.anchor, site.file)
        wirings.append(builder.build(host, host_homes, host_scopes[name]))
    wrapped = [wiring for wiring in wirings
               if not natural or not _in_own_list(planner, analysis, sites[id(analysis.hosts[wiring.host])][0], wiring,
                                   host_scopes[wiring.host], hm_input, extension)]
    generated: dict[tuple, list] = {}
    helper = None
    from migrate.plan import _never_twice

    _never_twice(wrapped)
    if wrapped:
        elsewhere = [s for pair in sites.values() for s in pair if s is not None and s.file != "flake.nix"]
        helper = editor.add_mk_host(hm_module, extension, taken_elsewhere=planner.where_helper_is_used(elsewhere))
        for file_editor in planner.editors.values():
            file_editor.helper = helper  # the notes left where generated homes were name it
    for wiring in wrapped:
        own, whole = sites[id(analysis.hosts[wiring.host])]
        wiring.wrapped_because = wiring.wrapped_because or (
            f"its nixosSystem call is not written in its definition in {own.file}" if own is not None
            else f"it is one of a set computed in {whole.file}")
        if own is not None:
            planner.editor_of(own.file).wrap_value(own.value, planner.helper_in(own, helper), wiring)
        else:
            generated.setdefault(_key(whole), [whole]).append((wiring.host, wiring))
    for whole, *hosts in generated.values():
        editor_there, name = planner.editor_of(whole.file), planner.helper_in(whole, helper)
        if whole.inherited:
            editor_there.wrap_inherited_hosts(whole.binding, whole.inherited, hosts, name)
        else:
            editor_there.wrap_generated_hosts(whole.binding, whole.value, hosts, name)
    generated_homes: dict[tuple, list] = {}
    for home in homes:
        own, whole = sites[id(home)]
        if own is not None:
            planner.editor_of(own.file).remove_entry(own.binding, home.name)
        else:
            generated_homes.setdefault(_key(whole), [whole]).append((home.name, sorted(home.hosts)))
    for whole, *entries in generated_homes.values():
        migrating = {key for key, _hosts in entries}
        staying = [h.name for h in analysis.homes.values() if not h.integrated and h.name not in migrating
                   and h.set_where == analysis.homes[entries[0][0]].set_where]
        if whole.inherited:
            planner.editor_of(whole.file).drop_inherited_homes(whole.binding, whole.inherited, entries, staying)
        else:
            planner.editor_of(whole.file).drop_generated_homes(whole.binding, whole.value, entries, staying)
    if planner.shared:
        planner.share_helper(helper)
    planner.finish()
    return wirings, planner.removed_comments()


def _in_own_list(planner, analysis, own: Optional[Site], wiring, scope, hm_input: str, extension: str) -> bool:
    """Home Manager in the host's own `modules` list, when its nixosSystem call is written in
    its own definition (the Home Manager manual's form); False when that does not fit."""
    if own is None or own.value is None:
        return False
    file_editor = planner.editor_of(own.file)
    host = analysis.hosts[wiring.host]
    list_node = own_modules_list(file_editor, own.value, host, list(analysis.hosts.values()))
    if list_node is None:
        return False
    try:
        hm_module = f"{scope.input_expr(hm_input)}.nixosModules.home-manager"
    except MigrateError:
        return False
    return wire_in_list(file_editor, list_node, own.value, hm_module, wiring, extension)


def _written_special_arg(home, name: str):
    """(node, file) of NAME in the extraSpecialArgs set HOME's builder wrote, if written out."""
    call = getattr(home, "call", None)
    if call is None or call.written is None:
        return None, None
    expr, _scope = call.written
    arguments = query.unparen(expr.node)
    if arguments is None or arguments.kind() != "NODE_ATTR_SET":
        return None, None
    special = query.unparen(query.find_binding(arguments, ("extraSpecialArgs",)))
    if special is None or special.kind() != "NODE_ATTR_SET":
        return None, None
    value = query.find_binding(special, (name,))
    if value is not None:
        return value, expr.src.path
    for inherit in special.find_children_by_kind("NODE_INHERIT"):
        if inherit.find_children_by_kind("NODE_INHERIT_FROM"):
            continue
        for ident in inherit.find_children_by_kind("NODE_IDENT"):
            if ident.text() == name:
                return ident, expr.src.path
    return None, None


def _atomic_text(node) -> bool:
    return node.kind() in ("NODE_IDENT", "NODE_SELECT", "NODE_PATH_REL", "NODE_ATTR_SET", "NODE_PAREN")


def _key(site: Site) -> tuple:
    return (site.file, site.binding.text_range())


def _not_editable(root) -> str:
    kind = "nixosConfigurations" if root.kind == "nixos" else "homeConfigurations"
    file, line = where_parts(root.where)
    place = f"{file}:{line}" if file and line else (file or "an unknown place")
    return (f"{place}: {kind}.{root.name} is built there, in a file that is not a flake-parts module of this flake, "
            f"and its set is not written in one either (at {root.set_where or 'an unknown place'}): the tool edits "
            "definitions only in flake.nix and the flake modules it imports; nothing was written")
