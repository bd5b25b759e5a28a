"""The flake edits: hosts and homes found by name in the outputs set, the standalone
entries Home Manager no longer needs removed, the `home-manager` input kept following
`nixpkgs` (HM010), and the wrapper for the hosts no natural form fits (forms.py).

The wrapper ``withHomeManager HOST HOME`` takes the host exactly as the flake built it
(same nixosSystem, `system`, `specialArgs`, modules, whatever helper produced it) and
extends it with `extendModules`, so nothing the analysis did not model can be lost on
the system side. HOME is the `home-manager` settings of that host, written out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from migrate.errors import MigrateError
from migrate.nix import emit, query, scopes
from migrate.plan.file_edits import FileEditor, indent_of, indented

BACKUP_EXTENSION = "hm-backup"


@dataclass
class HostWiring:
    """The `home-manager` settings one host gets, as Nix source lines."""

    host: str
    use_global_pkgs: bool
    extra_special_args: list[str] = field(default_factory=list)  # `inherit x;` / `x = ...;` lines
    shared_modules: list[str] = field(default_factory=list)
    users: dict[str, list[str]] = field(default_factory=dict)  # user -> module expressions
    replaces: list[str] = field(default_factory=list)  # homeConfigurations keys
    # why Home Manager builds its own packages here (useGlobalPkgs = false); empty when it does not
    own_packages_because: list[str] = field(default_factory=list)
    # user -> the module that gives them the packages their standalone `pkgs` had (first in their imports)
    package_modules: dict = field(default_factory=dict)
    # how the host got Home Manager, for the report: in its modules list, through the
    # flake's mkHost, through the repository's own helper, or the wrapper
    form: str = "wrapper"
    wrapped_because: str = ""  # why no other form fits, when the host is wrapped
    # the host imports Home Manager's NixOS module already: it gets the settings alone,
    # without those it sets itself (useUserPackages, backupFileExtension)
    module_imported: bool = False
    kept_settings: frozenset = frozenset()

    def to_json(self) -> dict:
        return {"host": self.host, "users": self.users, "use_global_pkgs": self.use_global_pkgs,
                "replaces": self.replaces, "form": self.form, "wrapped_because": self.wrapped_because or None}

    def render(self, indent: str, extension: Optional[str] = None) -> str:
        """`{ useGlobalPkgs = ...; ... }` at INDENT; with EXTENSION, the whole `home-manager`
        set a host's modules list holds (useUserPackages and backupFileExtension too)."""
        return "{\n" + "\n".join(self.lines(indent + "  ", extension)) + f"\n{indent}}}"

    def settings_module(self, indent: str, extension: str) -> str:
        """`{ home-manager = { ... }; }`, the module a host's `modules` list holds beside
        Home Manager's NixOS module (the Home Manager manual's form)."""
        inner = indent + "  "
        return "{\n" + f"{inner}home-manager = {self.render(inner, extension)};\n{indent}}}"

    def lines(self, inner: str, extension: Optional[str] = None, users: bool = True) -> list[str]:
        lines = [f"{inner}useGlobalPkgs = {'true' if self.use_global_pkgs else 'false'};"]
        if extension is not None:
            if "useUserPackages" not in self.kept_settings:
                lines.append(f"{inner}useUserPackages = true;")
            if "backupFileExtension" not in self.kept_settings:
                lines.append(f"{inner}backupFileExtension = {emit.string_literal(extension)};")
        if self.extra_special_args:
            inherited = [line[len("inherit "):-1] for line in self.extra_special_args if line.startswith("inherit ")]
            others = [line for line in self.extra_special_args if not line.startswith("inherit ")]
            body = ([f"inherit {' '.join(inherited)};"] if inherited else []) + others
            if len(body) == 1 and len(body[0]) < 70 and "\n" not in body[0]:
                lines.append(f"{inner}extraSpecialArgs = {{ {body[0]} }};")
            else:
                lines.append(f"{inner}extraSpecialArgs = {{")
                lines += [_indent_lines(f"{inner}  {line}", inner + "  ") for line in body]
                lines.append(f"{inner}}};")
        if self.shared_modules:
            lines.append(_list(f"{inner}sharedModules", self.shared_modules, inner))
        if users:
            lines += self.user_lines(inner)
        return lines

    def user_lines(self, inner: str, prefix: str = "users.") -> list[str]:
        lines = []
        for user, modules in self.users.items():
            package = [self.package_modules[user]] if user in self.package_modules else []
            lines.append(_list(f"{inner}{prefix}{emit.attr_key(user)}.imports", package + modules, inner))
        return lines

    def shared_key(self) -> tuple:
        """What the host's settings hold apart from its users: hosts that agree on it can
        share one helper."""
        return (self.use_global_pkgs, tuple(self.extra_special_args), tuple(self.shared_modules),
                tuple(sorted(self.kept_settings)))


def _list(head: str, items: list, indent: str) -> str:
    if all(isinstance(item, str) for item in items):
        one_line = f"{head} = [ {' '.join(items)} ];"
        if len(one_line) <= 100 and len(items) <= 3 and "\n" not in one_line:
            return one_line
    body = "\n".join(_list_item(item, indent + "  ") for item in items)
    return f"{head} = [\n{body}\n{indent}];"


def _list_item(item, indent: str) -> str:
    """A module expression, or a module written out (it renders itself at INDENT)."""
    if isinstance(item, str):
        return _indent_lines(f"{indent}{item}", indent)
    return f"{indent}{item.render(indent)}"


def _indent_lines(text: str, indent: str) -> str:
    """TEXT's second and later lines (a value carried from elsewhere) at INDENT."""
    return text.replace("\n", "\n" + indent)


FROM_FLAKE = "standalone homeConfigurations"
FROM_CHANNELS = "run on their own with `home-manager switch`"
WRAPPER = "withHomeManager"  # the wrapper's name, when free where it is defined


def wrapper_doc() -> str:
    return "# hm-migrate: adds Home Manager's NixOS module and the host's users to a host built as before"


def backup_extension(findings) -> str:
    """The extension the user already passes to `home-manager switch -b` (HM007), else ours."""
    for finding in findings:
        found = finding.data.get("backup_extension") if finding.rule_id == "HM007" else None
        if found:
            return found
    return BACKUP_EXTENSION


def mk_host_text(name: str, hm_module: str, extension: str = BACKUP_EXTENSION) -> str:
    """The wrapper, for hosts whose definition the tool does not rewrite (a generated set,
    a builder it cannot edit safely), with the comment that says what it does."""
    return wrapper_doc() + "\n" + (
        f"{name} =\n"
        "  host: homeManager:\n"
        "  host.extendModules {\n"
        "    modules = [\n"
        f"      {hm_module}\n"
        "      {\n"
        "        home-manager = {\n"
        "          useUserPackages = true;\n"
        f"          backupFileExtension = \"{extension}\";\n"
        "        } // homeManager;\n"
        "      }\n"
        "    ];\n"
        "  };"
    )


class FlakeEditor(FileEditor):
    """flake.nix: the helper in `outputs`, hosts and homes found by name in the outputs set."""

    file = "flake.nix"

    def __init__(self, nix, hm_input: str):
        super().__init__(nix)
        self.hm_input = hm_input
        top = query.body(nix)
        if top is None or top.kind() != "NODE_ATTR_SET":
            raise MigrateError("flake.nix: the flake is not a plain attribute set; nothing was written")
        self.top = top
        self.outputs = query.find_binding(top, ("outputs",))
        lam = query.unparen(self.outputs)
        if lam is None or lam.kind() != "NODE_LAMBDA":
            raise MigrateError("flake.nix: `outputs` is not written as a function; nothing was written")
        self.formals = query.formals(lam, nix)
        self.added_formals: set[str] = set()  # inputs this run adds to the `outputs` pattern
        # Hosts and homes of a generated set (`nixosConfigurations = genAttrs hosts mkHost`):
        # edited as a whole by finish(), once every one of them is known.
        self.generated_hosts: list[tuple[str, HostWiring]] = []
        self.generated_homes: list[tuple[str, list[str]]] = []
        self.helper: Optional[str] = None
        self._own_let: list[str] = []  # texts of the `let` this run puts around the outputs set
        self._own_let_edit = None
        self.lam_body = lam.last_child()
        result = query.body(self.lam_body) if self.lam_body.kind() != "NODE_ATTR_SET" else self.lam_body
        result = _written_part(result)
        # None when `outputs` is computed by a function (flake-parts' mkFlake): the
        # definitions are then edited where the analysis found them.
        self.result = result if result is not None and result.kind() == "NODE_ATTR_SET" else None

    def require_result(self):
        if self.result is None:
            raise MigrateError("flake.nix: `outputs` does not end in an attribute set the tool can edit; nothing was written")
        return self.result

    # -- names in scope of the outputs body ----------------------------------------------

    def scope_names(self) -> set[str]:
        names = set(self.added_formals)
        if self.formals:
            names.update(self.formals.names)
        if self.formals and self.formals.at_name:
            names.add(self.formals.at_name)
        if self.formals and self.formals.ident:
            names.add(self.formals.ident)
        node = self.lam_body
        while node is not None and node.kind() == "NODE_LET_IN":
            for binding in query.let_bindings(node):
                names.add(binding.path[0])
            for inherit in query.inherits(node):
                names.update(inherit.names)
            node = node.last_child()
        return names

    def let_constant(self, name: str) -> Optional[str]:
        node = self.lam_body
        while node is not None and node.kind() == "NODE_LET_IN":
            for binding in query.let_bindings(node):
                if binding.path == (name,) and binding.value.kind() == "NODE_STRING":
                    return query.string_constant(binding.value)
            node = node.last_child()
        return None

    def input_expr(self, input_name: str) -> str:
        """How the outputs body names a flake input."""
        if input_name in self.added_formals or (self.formals and input_name in self.formals.names):
            return input_name  # a formal is always a plain identifier
        if self.formals and self.formals.at_name:
            return f"{self.formals.at_name}.{emit.attr_key(input_name)}"
        if self.formals and self.formals.ident:
            return f"{self.formals.ident}.{emit.attr_key(input_name)}"
        if self.formals is not None and _plain(input_name):
            self.changes.add_formal(query.unparen(self.outputs), input_name)
            self.added_formals.add(input_name)
            return input_name
        raise MigrateError(f"flake.nix: cannot refer to input {input_name} from `outputs`; nothing was written")

    # -- the edits -------------------------------------------------------------------------

    def add_mk_host(self, hm_module: str, extension: str = BACKUP_EXTENSION, taken_elsewhere=()) -> str:
        """The helper in `outputs`' `let`; its name is free there and in TAKEN_ELSEWHERE (the
        names in scope where flake-parts modules will use it)."""
        taken = self.scope_names() | set(taken_elsewhere)
        name = next((n for n in (WRAPPER, "addHomeManager") if n not in taken), None)
        if name is None:
            raise MigrateError(f"flake.nix: both {WRAPPER} and addHomeManager are taken; nothing was written")
        self.helper = name  # the notes left where generated homes were point at it by this name
        self.add_to_let(mk_host_text(name, hm_module, extension))
        return name

    def add_to_let(self, text: str) -> None:
        """TEXT (bindings at indentation zero) at the end of `outputs`' `let`, which is
        made when there is none (once: later texts join it)."""
        if self.lam_body.kind() == "NODE_LET_IN":
            # after the last entry, `inherit (helpers) mkHost;` included, so the helper
            # reads as an addition at the end of the user's own `let`
            entries = [b.node for b in query.let_bindings(self.lam_body)] + \
                      [i.node for i in query.inherits(self.lam_body)]
            anchor = max(entries, key=lambda node: node.text_range()[1]) if entries else None
            indent = indent_of(self.nix.data, anchor.text_range()[0]) if anchor else "  "
            offset = anchor.text_range()[1] if anchor else self.lam_body.text_range()[0] + 3
            self.changes.insert(offset, "\n\n" + indented(text, indent))
            return
        start = self.lam_body.text_range()[0]
        indent = indent_of(self.nix.data, start)
        self._own_let.append(indented(text, indent + "  "))
        self.changes.replacements[:] = [r for r in self.changes.replacements if r is not self._own_let_edit]
        self.changes.insert(start, "let\n" + "\n\n".join(self._own_let) + "\n" + indent + "in\n" + indent)
        self._own_let_edit = self.changes.replacements[-1]

    def let_anchor(self):
        """A node where the names of `outputs`' `let` (or its arguments, without one) are in scope."""
        if self.lam_body.kind() == "NODE_LET_IN":
            entries = [b.node for b in query.let_bindings(self.lam_body)] + \
                      [i.node for i in query.inherits(self.lam_body)]
            if entries:
                return max(entries, key=lambda node: node.text_range()[1])
        return self.lam_body

    def root_value(self, attribute: str, key: str, where: Optional[str]):
        """The value node of ATTRIBUTE.KEY as written in the outputs set: by name,
        or (for keys written with interpolation) by the line the analysis saw it on."""
        line = int(where.rsplit(":", 1)[1]) if where and where.startswith("flake.nix:") and where.rsplit(":", 1)[1].isdigit() else None
        by_line = None
        if self.result is None:
            return None
        for path, binding in self._entries(attribute):
            if len(path) != 2:
                continue
            if path[1] == key:
                return binding.value
            value = binding.value
            if line is not None and "${" in path[1] and self.nix.line_col(value.text_range()[0])[0] == line:
                by_line = value
        return by_line

    def wiring_site(self, host: str, where: Optional[str]):
        """The node next to which HOST's `home-manager` settings are written: its value in
        `nixosConfigurations`, or the expression that computes the whole set."""
        value = self.root_value("nixosConfigurations", host, where)
        if value is None:
            binding = self.generator("nixosConfigurations")
            value = binding.value if binding is not None else None
        if value is None:
            raise MigrateError(f"flake.nix: nixosConfigurations.{host} is neither written as its own binding nor "
                               "computed by one `nixosConfigurations = ...` expression; nothing was written")
        return value

    def generator(self, attribute: str):
        """The binding `ATTRIBUTE = <expression>;` when the set is computed, not written out."""
        if self.result is None:
            return None
        for path, binding in query.lookup_all(self.result, (attribute,)):
            if path == (attribute,) and query.unparen(binding.value).kind() != "NODE_ATTR_SET" \
                    and _let_body_set(binding.value) is None:
                return binding
        return None

    def _entries(self, attribute: str) -> list:
        """(path, binding) of ATTRIBUTE and what it holds in the outputs set; the entries of
        `ATTRIBUTE = let ... in { ... };` too, written out in that set."""
        found = []
        for path, binding in query.lookup_all(self.result, (attribute,)):
            inner = _let_body_set(binding.value) if path == (attribute,) else None
            if inner is not None:
                found += [(path + sub, entry) for sub, entry in query.lookup_all(inner, ())]
            found.append((path, binding))
        return found

    def wrap_host(self, host: str, helper: str, wiring: HostWiring, where: Optional[str]) -> None:
        self.helper = helper
        self.require_result()
        value = self.root_value("nixosConfigurations", host, where)
        if value is None and self.generator("nixosConfigurations") is not None:
            self.generated_hosts.append((host, wiring))
            return
        if value is None:
            raise MigrateError(f"flake.nix: nixosConfigurations.{host} is neither written as its own binding nor "
                               "computed by one `nixosConfigurations = ...` expression; nothing was written")
        self.wrap_value(value, helper, wiring)

    def replace_home(self, key: str, host_names: list[str], where: Optional[str]) -> None:
        self.require_result()
        value = self.root_value("homeConfigurations", key, where)
        if value is None and self.generator("homeConfigurations") is not None:
            self.generated_homes.append((key, host_names))
            return
        if value is None:
            raise MigrateError(f"flake.nix: homeConfigurations.{key} is neither written as its own binding nor "
                               "computed by one `homeConfigurations = ...` expression; nothing was written")
        self.remove_entry(value.parent(), key)

    def finish(self, staying_generated_homes: list[str]) -> None:
        """Edit the generated sets: hosts with users go through the helper by name, the
        generated homes that migrate leave the set (the whole binding becomes a comment
        when none stays)."""
        if self.generated_hosts:
            self._wrap_generated_hosts()
        if self.generated_homes:
            self._drop_generated_homes(staying_generated_homes)
        self.finish_removals()

    def _wrap_generated_hosts(self) -> None:
        binding = self.generator("nixosConfigurations")
        self.wrap_generated_hosts(binding.node, binding.value, self.generated_hosts, self.helper)

    def _drop_generated_homes(self, staying: list[str]) -> None:
        binding = self.generator("homeConfigurations")
        self.drop_generated_homes(binding.node, binding.value, self.generated_homes, staying)

    def follow_nixpkgs(self, input_name: str) -> bool:
        inputs = query.find_binding(self.top, ("inputs",))
        if inputs is None or query.unparen(inputs).kind() != "NODE_ATTR_SET":
            return False
        inputs = query.unparen(inputs)
        if query.find_binding(inputs, (input_name, "inputs", "nixpkgs", "follows")) is not None:
            return False
        if query.find_binding(inputs, ("nixpkgs",)) is None and query.find_binding(inputs, ("nixpkgs", "url")) is None:
            return False
        own = query.find_binding(inputs, (input_name,))
        if own is not None and query.unparen(own).kind() == "NODE_ATTR_SET":
            self.changes.insert_binding(query.unparen(own), 'inputs.nixpkgs.follows = "nixpkgs";')
        else:
            self.changes.insert_binding(inputs, f'{emit.attr_key(input_name)}.inputs.nixpkgs.follows = "nixpkgs";')
        return True


def _let_body_set(node):
    """The set `let ... in { ... }` ends in (plain, not rec), or None for anything else."""
    node = query.unparen(node)
    if node is None or node.kind() != "NODE_LET_IN":
        return None
    while node is not None and node.kind() == "NODE_LET_IN":
        node = query.unparen(node.last_child())
    return node if node is not None and node.kind() == "NODE_ATTR_SET" and not scopes.is_rec(node) else None


def _written_part(node):
    """`{ ... } // flake-utils.lib.eachDefaultSystem (...)`: the set written on the left,
    where the configurations are (the analysis reads them there too)."""
    while node is not None and node.kind() == "NODE_BIN_OP" and any(
            element.is_token() and element.kind() == "TOKEN_UPDATE" for element in node.children_with_tokens()):
        node = query.unparen(node.first_child())
    return node


def _plain(name: str) -> bool:
    return emit.attr_key(name) == name

