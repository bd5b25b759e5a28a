"""The edits made where a host or a home is defined, in whichever file that is: a host
value wrapped by the helper, a replaced home entry removed (its comments recorded for
MIGRATION.md), a generated set of hosts routed through the helper by name, migrated
homes taken out of a generated set.

Each operation takes the syntax nodes it edits; finding them (by name in flake.nix's
outputs, by the analysis' file:line:col in a flake-parts module) is the caller's job.
"""

from __future__ import annotations


from migrate.nix import emit, query
from migrate.nix.edit import ChangeSet


class FileEditor:
    def __init__(self, nix):
        self.nix = nix
        self.helper = None  # the wrapper's name when this run adds one (withHomeManager)
        self.changes = ChangeSet(nix)
        # Ranges whose text became comments (a replaced home entry): the paths in them are
        # gone, not rewritten (HM009 counts them apart).
        self.changes.removed_ranges = []
        self.removed_entries: list = []  # (binding, key) of replaced homes, removed by finish_removals
        # (label, file:line, comments) of each entry removed: MIGRATION.md quotes the comments
        self.removed_comments: list[tuple[str, str, list[str]]] = []

    def wrap_value(self, value, helper: str, wiring) -> None:
        """`x = VALUE;` becomes `x = helper (VALUE) { home-manager settings };`."""
        start, end = value.text_range()
        binding = value.parent()
        while binding is not None and binding.kind() == "NODE_PAREN":
            binding = binding.parent()
        indent = indent_of(self.nix.data, (binding or value).text_range()[0])
        self.changes.insert(start, f"{helper} (")
        self.changes.insert(end, ") " + wiring.render(indent))

    def remove_entry(self, binding, key: str) -> None:
        """A replaced `homeConfigurations` entry leaves the file (finish_removals); the
        comments it held are quoted in MIGRATION.md."""
        if not any(query.same_node(binding, known) for known, _key in self.removed_entries):
            self.removed_entries.append((binding, key))  # a user on several hosts is one entry

    def finish_removals(self) -> None:
        """Remove the replaced entries; a `homeConfigurations = { ... };` they empty goes
        as a whole, with the comments that head it."""
        by_set: dict = {}
        for binding, key in self.removed_entries:
            container = binding.parent()
            by_set.setdefault(container.text_range() if container is not None else None, []).append((binding, key))
        ranges = []
        for entries in by_set.values():
            container = entries[0][0].parent()
            whole = _emptied_set_binding(container, [binding for binding, _key in entries])
            if whole is not None:
                ranges.append((whole, [(binding, key) for binding, key in entries], "homeConfigurations"))
            else:
                ranges += [(binding, [(binding, key)], None) for binding, key in entries]
        spans = []
        for node, entries, label in ranges:
            start, end = self.changes._removal_range(node)
            spans.append((start, end, node, entries, label))
        for start, end in _merged([(start, end) for start, end, *_rest in spans]):
            start, end = _tidy_removal(self.nix.data, start, end)
            self.changes.removed_ranges.append((start, end))
            self.changes.replacements[:] = [r for r in self.changes.replacements
                                            if not (start <= r.start and r.end <= end)]
            self.changes.replace_range(start, end, "")
        for start, end, node, entries, label in spans:
            self._record_comments(start, end, node, entries, label)
        self.removed_entries = []

    def _record_comments(self, start: int, end: int, node, entries, label) -> None:
        inside = []
        for binding, key in entries:
            comments = comments_around(self.nix, binding) if label is None else comments_in(binding)
            line = self.nix.line_col(binding.text_range()[0])[0]
            self.removed_comments.append((_entry_label(binding), f"{self.nix.path}:{line}", comments))
            inside.append(binding.text_range())
        if label is not None:
            rest = [text for text, at in comments_in_range(self.nix, node.parent(), start, end)
                    if not any(s <= at < e for s, e in inside)]
            line = self.nix.line_col(node.text_range()[0])[0]
            self.removed_comments.append((label, f"{self.nix.path}:{line}", rest))
        self.removed_comments.sort(key=lambda entry: int(entry[1].rsplit(":", 1)[1]))

    def comment_out_entry(self, binding, keys: list[str], host_names: list[str]) -> None:
        """A replaced `homeConfigurations` entry: a note, and the comments it held."""
        start, end = binding.text_range()
        self.replace_by_comments(start, end, [f"# {now_in_hosts(keys, host_names, self.helper)}"] + comments_in(binding))

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
        gap = start
        while gap > 0 and self.nix.data[gap - 1:gap] in (b" ", b"\t"):
            gap -= 1  # the space after `=`: the new text starts on a line of its own
        self.changes.replace_range(gap, start, _through_helper(hosts, helper, indent + "  ") + "(")
        self.changes.insert(end, ")")

    def wrap_inherited_hosts(self, inherit, name: str, hosts: list, helper: str) -> None:
        """`inherit (<expression>) nixosConfigurations;` becomes a binding that routes the
        inherited hosts through the helper, as for a generated set."""
        def binding(source: str, indent: str) -> str:
            return f"{name} ={_through_helper(hosts, helper, indent + '  ')}{source}.{emit.attr_key(name)};"
        self._replace_inherited(inherit, name, binding)

    def drop_inherited_homes(self, inherit, name: str, homes: list, staying: list[str]) -> None:
        """`inherit (<expression>) homeConfigurations;`: the migrated homes leave the set
        (`removeAttrs`); with none staying, the name leaves the inherit, kept as a comment."""
        keys = [key for key, _hosts in homes]
        hosts = sorted({host for _key, names in homes for host in names})
        note = f"# hm-migrate: {now_in_hosts(keys, hosts, self.helper)}"

        def binding(source: str, indent: str) -> str:
            if not staying:
                old = self.nix.data[slice(*inherit.text_range())].decode("utf-8").replace("\n", "\n" + indent + "# ")
                return f"{note}; it was inherited here:\n{indent}# {old}"
            removed = " ".join(emit.string_literal(k) for k in keys)
            return f"{note}\n{indent}{name} = builtins.removeAttrs {source}.{emit.attr_key(name)} [ {removed} ];"
        self._replace_inherited(inherit, name, binding)

    def _replace_inherited(self, inherit, name: str, binding) -> None:
        start, end = inherit.text_range()
        indent = indent_of(self.nix.data, start)
        source_node = inherit.find_children_by_kind("NODE_INHERIT_FROM")[0]
        rest = [part.text() for part in inherit.children()
                if part.kind() in ("NODE_IDENT", "NODE_STRING") and query.attr_name(part) != name]
        if not rest:
            # The expression stays where it is (with its own path rewrites): the text
            # before and after it turns the inherit into a binding.
            marker = "\0SOURCE\0"
            new = binding(marker, indent)
            if marker not in new:  # all of it became comments
                self.replace_by_comments(start, end, new.split(f"\n{indent}"))
                return
            before, after = new.split(marker)
            source_start, source_end = source_node.text_range()
            self.changes.replace_range(start, source_start, before)
            self.changes.replace_range(source_end, end, after)
            return
        source = self.text_with_edits(*source_node.text_range())  # `(<expression>)`, path rewrites applied
        lines = [f"inherit {source} {' '.join(rest)};", binding(source, indent)]
        self.changes.replace_range(start, end, f"\n{indent}".join(lines))

    def planned_text(self, start: int, end: int) -> str:
        """The source from START to END as the plan leaves it (the edits inside applied,
        and kept: the text stays where it is too)."""
        return self.changes.text_between(start, end)

    def drop_edits_in(self, start: int, end: int) -> None:
        """Forget the edits planned inside START..END (the caller writes that text anew)."""
        self.changes.replacements[:] = [r for r in self.changes.replacements if not (start <= r.start and r.end <= end)]

    def text_with_edits(self, start: int, end: int) -> str:
        """The source from START to END with the edits planned inside it applied; they are
        taken out of the change set (the caller writes the text elsewhere)."""
        text = self.changes.text_between(start, end)
        self.drop_edits_in(start, end)
        return text

    def drop_generated_homes(self, binding_node, value, homes: list, staying: list[str]) -> None:
        """Migrated homes of a generated `homeConfigurations` leave it (`removeAttrs`); the
        whole binding becomes a comment when none stays."""
        keys = [key for key, _hosts in homes]
        hosts = sorted({host for _key, names in homes for host in names})
        start, end = binding_node.text_range()
        indent = indent_of(self.nix.data, start)
        note = f"# hm-migrate: {now_in_hosts(keys, hosts, self.helper)}"
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


def _through_helper(hosts: list, helper: str, inner: str) -> str:
    """`let homeManagerOf = { ... }; in builtins.mapAttrs (...) ` before a set of hosts."""
    table = "\n".join(f"{inner}    {emit.attr_key(host)} = {wiring.render(inner + '    ')};" for host, wiring in hosts)
    return (f"\n{inner}let\n"
            f"{inner}  # hm-migrate: each host's Home Manager users; a host not listed is built as before\n"
            f"{inner}  homeManagerOf = {{\n{table}\n{inner}  }};\n"
            f"{inner}in\n"
            f"{inner}builtins.mapAttrs (\n"
            f"{inner}  name: host: if homeManagerOf ? ${{name}} then {helper} host homeManagerOf.${{name}} else host\n"
            f"{inner}) ")


def now_in_hosts(keys: list[str], hosts: list[str], helper=None) -> str:
    see = f" (see {helper})" if helper else ""
    return f"{', '.join(keys)}: Home Manager now runs as a NixOS module on {', '.join(hosts)}{see}"


def _emptied_set_binding(container, removed: list):
    """`homeConfigurations = { ... };` when REMOVED are all it holds, else None."""
    if container is None or container.kind() != "NODE_ATTR_SET":
        return None
    held = [child for child in container.children() if child.kind() in ("NODE_ATTRPATH_VALUE", "NODE_INHERIT")]
    if len(held) != len(removed) or not all(any(query.same_node(h, r) for r in removed) for h in held):
        return None
    binding = container.parent()
    if binding is None or binding.kind() != "NODE_ATTRPATH_VALUE" or not query.same_node(binding.last_child(), container):
        return None
    if query.attrpath_names(binding.first_child())[-1:] != ("homeConfigurations",):
        return None
    return binding if binding.parent() is not None and binding.parent().kind() == "NODE_ATTR_SET" else None


def _entry_label(binding) -> str:
    """`homeConfigurations."alice@nimbus"` as written (an entry of a nested set gets the prefix)."""
    path = binding.first_child().text()
    names = query.attrpath_names(binding.first_child())
    return path if names[:1] == ("homeConfigurations",) else f"homeConfigurations.{path}"


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _tidy_removal(data: bytes, start: int, end: int) -> tuple[int, int]:
    """START..END (whole lines) widened so the removal leaves no doubled blank line, nor a
    blank line just inside a bracket."""
    if start == 0 or data[start - 1:start] != b"\n" or (end > 0 and data[end - 1:end] != b"\n"):
        return start, end
    previous_start = data.rfind(b"\n", 0, start - 1) + 1
    previous = data[previous_start:start - 1].strip()
    next_end = data.find(b"\n", end)
    following = data[end:next_end if next_end >= 0 else len(data)].strip()
    while end < len(data) and not following and next_end >= 0 and (not previous or previous[-1:] in (b"{", b"[")):
        end = next_end + 1  # a blank line after the removed lines goes with them
        next_end = data.find(b"\n", end)
        following = data[end:next_end if next_end >= 0 else len(data)].strip()
    if not previous and following[:1] in (b"}", b"]"):
        start = previous_start  # the blank line before a closing bracket
    return start, end


def comments_around(nix, binding) -> list[str]:
    """The comments an entry's removal takes: the whole-line ones just above it, its own,
    and the one after it on its last line."""
    changes_start, changes_end = _removal_span(nix, binding)
    return [text for text, _at in comments_in_range(nix, binding.parent(), changes_start, changes_end)]


def _removal_span(nix, binding) -> tuple[int, int]:
    from migrate.nix.edit import ChangeSet

    return ChangeSet(nix)._removal_range(binding)


def comments_in_range(nix, container, start: int, end: int) -> list[tuple[str, int]]:
    """(text, offset) of every comment of CONTAINER between START and END."""
    found = []
    for element in container.descendants_with_tokens():
        if element.kind() == "TOKEN_COMMENT":
            at = element.text_range()[0]
            if start <= at < end:
                found.append((element.text().strip(), at))
    return found


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
