"""The edits made where a host or a home is defined, in whichever file that is: a host
value wrapped by the helper, a replaced home entry turned into comments, a generated set
of hosts routed through the helper by name, migrated homes taken out of a generated set.

Each operation takes the syntax nodes it edits; finding them (by name in flake.nix's
outputs, by the analysis' file:line:col in a flake-parts module) is the caller's job.
"""

from __future__ import annotations

from migrate.nix import emit
from migrate.nix.edit import ChangeSet


class FileEditor:
    def __init__(self, nix):
        self.nix = nix
        self.changes = ChangeSet(nix)
        # Ranges whose text became comments (a replaced home entry): the paths in them are
        # gone, not rewritten (HM009 counts them apart).
        self.changes.removed_ranges = []

    def wrap_value(self, value, helper: str, wiring) -> None:
        """`x = VALUE;` becomes `x = helper (VALUE) { home-manager settings };`."""
        start, end = value.text_range()
        binding = value.parent()
        while binding is not None and binding.kind() == "NODE_PAREN":
            binding = binding.parent()
        indent = indent_of(self.nix.data, (binding or value).text_range()[0])
        self.changes.insert(start, f"{helper} (")
        self.changes.insert(end, ") " + wiring.render(indent))

    def comment_out_entry(self, binding, keys: list[str], host_names: list[str]) -> None:
        """A replaced `homeConfigurations` entry: a note, and the comments it held."""
        start, end = binding.text_range()
        self.replace_by_comments(start, end, [f"# {now_in_hosts(keys, host_names)}"] + comments_in(binding))

    def replace_by_comments(self, start: int, end: int, lines: list[str]) -> None:
        """Put comment LINES where the entry at START..END was, at its indentation; the
        path rewrites planned inside the entry go with it."""
        indent = indent_of(self.nix.data, start)
        self.changes.removed_ranges.append((start, end))
        self.changes.replacements[:] = [r for r in self.changes.replacements if not (start <= r.start and r.end <= end)]
        self.changes.replace_range(start, end, "\n".join(lines).replace("\n", "\n" + indent))

    def wrap_generated_hosts(self, binding_node, value, hosts: list, helper: str) -> None:
        """`nixosConfigurations = <expression>;`: hosts with users go through the helper by
        name, from one table; the expression itself is kept as written."""
        start, end = value.text_range()
        indent = indent_of(self.nix.data, binding_node.text_range()[0])
        inner = indent + "  "
        table = "\n".join(f"{inner}    {emit.attr_key(host)} = {wiring.render(inner + '    ')};"
                          for host, wiring in hosts)
        gap = start
        while gap > 0 and self.nix.data[gap - 1:gap] in (b" ", b"\t"):
            gap -= 1  # the space after `=`: the new text starts on a line of its own
        self.changes.replace_range(gap, start, (
            f"\n{inner}let\n"
            f"{inner}  # hm-migrate: each host's Home Manager users; a host not listed is built as before\n"
            f"{inner}  homeManagerOf = {{\n{table}\n{inner}  }};\n"
            f"{inner}in\n"
            f"{inner}builtins.mapAttrs (\n"
            f"{inner}  name: host: if homeManagerOf ? ${{name}} then {helper} host homeManagerOf.${{name}} else host\n"
            f"{inner}) ("))
        self.changes.insert(end, ")")

    def drop_generated_homes(self, binding_node, value, homes: list, staying: list[str]) -> None:
        """Migrated homes of a generated `homeConfigurations` leave it (`removeAttrs`); the
        whole binding becomes a comment when none stays."""
        keys = [key for key, _hosts in homes]
        hosts = sorted({host for _key, names in homes for host in names})
        start, end = binding_node.text_range()
        indent = indent_of(self.nix.data, start)
        note = f"# hm-migrate: {now_in_hosts(keys, hosts)}"
        if staying:
            value_start, value_end = value.text_range()
            self.changes.insert(start, f"{note}\n{indent}")
            self.changes.insert(value_start, "builtins.removeAttrs (")
            self.changes.insert(value_end, ") [ " + " ".join(emit.string_literal(k) for k in keys) + " ]")
            return
        old = self.nix.data[start:end].decode("utf-8").split("\n")
        commented = [("# " + line.strip() if i == 0 else "# " + line.removeprefix(indent)) if line.strip() else "#"
                     for i, line in enumerate(old)]
        self.replace_by_comments(start, end, [note + "; the old definition, for reference:"] + commented)


def now_in_hosts(keys: list[str], hosts: list[str]) -> str:
    return f"{', '.join(keys)}: Home Manager now runs as a NixOS module on {', '.join(hosts)} (see mkHost)"


def comments_in(node) -> list[str]:
    """Every comment inside NODE, end-of-line ones included, each on a line of its own."""
    return [element.text().strip() for element in node.descendants_with_tokens() if element.kind() == "TOKEN_COMMENT"]


def indent_of(data: bytes, offset: int) -> str:
    line_start = data.rfind(b"\n", 0, offset) + 1
    head = data[line_start:offset]
    stripped = head[: len(head) - len(head.lstrip(b" \t"))]
    return stripped.decode("utf-8")


def indented(text: str, indent: str) -> str:
    return "\n".join(indent + line if line else line for line in text.split("\n"))
