"""Home Manager written into a host's own `modules` list, the form of the Home Manager
manual: `home-manager.nixosModules.home-manager` and a `{ home-manager = { ... }; }`
settings module after the modules the host already had.

That is only right where the `nixosSystem { ... }` call is written for that host alone:
inside the host's own definition (`nixosConfigurations.kestrel = nixpkgs.lib.nixosSystem
{ ... }`, or a `withSystem "x86_64-linux" ({ pkgs, ... }: nixosSystem { ... })` there),
and evaluated for no other host. A call a helper makes for many hosts is extended in
the helper instead (helper_extension.py), or the host is wrapped (flake.py).

Appending modules to the list is what the wrapper's `extendModules` did: the same
evaluation with the same special arguments, Home Manager's modules last.
"""

from __future__ import annotations

from typing import Optional

from migrate.nix import query, scopes
from migrate.plan.carry import free_in_text
from migrate.plan.file_edits import indent_of

FORM_MODULES = "its modules list"  # what the report says of a host wired in its own list


def written_call(host, file: str):
    """The argument set of HOST's `nixosSystem` call as written in FILE, or None."""
    written = host.call.written if host.call is not None else None
    if written is None or getattr(written[0], "src", None) is None or written[0].src.path != file:
        return None
    node = query.unparen(written[0].node)
    return node if node is not None and node.kind() == "NODE_ATTR_SET" else None


def shared_call(host, hosts) -> bool:
    """Whether another host is built by the same written call (a helper, or a host that
    extends this one)."""
    mine = written_call(host, host.call.written[0].src.path) if host.call is not None and host.call.written else None
    if mine is None:
        return True
    file = host.call.written[0].src.path
    return any(other is not host and (theirs := written_call(other, file)) is not None
               and query.same_node(theirs, mine) for other in hosts)


def written_in_own_definition(analysis, host) -> bool:
    """Whether HOST's nixosSystem call, with a modules list, is written inside its own
    definition in flake.nix (`nixosConfigurations.<name> = nixpkgs.lib.nixosSystem { ... }`)
    and builds no other host."""
    from migrate.plan.module_sites import find_site

    arguments = written_call(host, "flake.nix")
    if arguments is None or not (host.where or "").startswith("flake.nix:") or \
            shared_call(host, list(analysis.hosts.values())):
        return False
    site = find_site(analysis.evaluator.parse("flake.nix"), host.where, host.name)
    if site is None or site.value is None:
        return False
    start, end = site.value.text_range()
    inner_start, inner_end = arguments.text_range()
    return start <= inner_start and inner_end <= end and modules_list(arguments) is not None


def modules_list(arguments):
    """The list literal Home Manager's modules are appended to: `modules = [ ... ]`, or the
    last list of `modules = [ ... ] ++ [ ... ]`; None for anything else."""
    if arguments.kind() != "NODE_ATTR_SET" or scopes.is_rec(arguments):
        return None
    value = query.unparen(query.find_binding(arguments, ("modules",)))
    while value is not None and value.kind() == "NODE_BIN_OP" and _operator(value) == "++":
        value = query.unparen(value.last_child())
    return value if value is not None and value.kind() == "NODE_LIST" else None


def _operator(node) -> Optional[str]:
    for element in node.children_with_tokens():
        if element.is_token() and element.kind() not in ("TOKEN_WHITESPACE", "TOKEN_COMMENT"):
            return element.text()
    return None


def own_modules_list(editor, value, host, hosts):
    """HOST's `modules` list when its nixosSystem call is written inside VALUE (its own
    definition in EDITOR's file) and builds no other host; else None."""
    if value is None:
        return None
    arguments = written_call(host, editor.nix.path)
    if arguments is None or shared_call(host, hosts):
        return None
    start, end = value.text_range()
    inner_start, inner_end = arguments.text_range()
    if not (start <= inner_start and inner_end <= end):
        return None
    return modules_list(arguments)


def reads_the_same(texts: list[str], anchor, there) -> bool:
    """Whether every name TEXTS read means at THERE what it means at ANCHOR (where they
    were written for), both nodes of one file."""
    for text in texts:
        for name in free_in_text(text):
            if not scopes.means_the_same(name, anchor, there):
                return False
    return True


def append_items(editor, list_node, items: list[str]) -> None:
    """Append ITEMS (source text written at indentation zero) to LIST_NODE. A list written
    on one line is written again one item a line, the way nixfmt lays out a list that
    holds a set."""
    data = editor.nix.data
    start, end = list_node.text_range()
    changes = editor.changes
    if b"\n" in data[start:end]:
        # after the last item and the comments below it (entries the user commented out)
        elements = list_node.children()
        indent = changes._item_indent(list_node, elements)
        anchor = changes._trailing(elements[-1].text_range()[1])[1] if elements else start + 1
        for token in list_node.children_with_tokens():
            if token.kind() == "TOKEN_COMMENT" and token.text_range()[1] > anchor:
                anchor = token.text_range()[1]
        changes.insert(anchor, "".join(changes.newline + indent + changes._reindent(item, indent) for item in items))
        return
    indent = indent_of(data, start)
    inner = indent + editor.changes.indent_unit
    elements = []
    for element in list_node.children_with_tokens():
        if element.kind() in ("TOKEN_WHITESPACE", "TOKEN_L_BRACK", "TOKEN_R_BRACK"):
            continue
        elements.append(editor.text_with_edits(*element.text_range()))
    lines = [inner + text for text in elements]
    lines += [inner + item.replace("\n", "\n" + inner) for item in items]
    editor.changes.replace_range(start, end, "[\n" + "\n".join(lines) + "\n" + indent + "]")


def wire_in_list(editor, list_node, anchor, hm_module: str, wiring, extension: str) -> bool:
    """Append Home Manager's module and WIRING's settings to LIST_NODE; False (nothing
    done) when a name they read means something else there than at ANCHOR."""
    settings = wiring.settings_module("", extension)
    items = [settings] if wiring.module_imported else [hm_module, settings]  # never a second import
    if not reads_the_same(items, anchor, list_node):
        return False
    append_items(editor, list_node, items)
    wiring.form = FORM_MODULES
    return True
