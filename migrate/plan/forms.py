"""Which form each host's Home Manager wiring takes in flake.nix, the most natural the
repository allows (the closing note of a migration reads as if written by hand):

1. hosts written as literal `nixosSystem { ... }` calls share a `mkHost` in the outputs'
   `let` (mk_host.py); a host whose call is written in its own definition otherwise gets
   Home Manager's NixOS module and settings in its `modules` list (host_forms.py);
2. hosts a helper of the repository builds get them from that helper (helper_extension.py);
3. the others are wrapped by `withHomeManager` (flake.py), which extends the host as built.
"""

from __future__ import annotations

from migrate.plan.host_forms import own_modules_list, wire_in_list
from migrate.plan.file_edits import FileEditor
from migrate.plan.helper_extension import extend_helpers
from migrate.plan.mk_host import factor_hosts


def place_in_definitions(analysis, editor, wirings, hm_module: str, extension: str, edits: dict,
                         per_host: dict) -> list:
    """Write each wiring where its host is defined, when a natural form fits; returns the
    wirings left for the wrapper. EDITS gets the change set of every other file edited."""
    hosts = list(analysis.hosts.values())
    left = []
    for wiring in factor_hosts(analysis, editor, wirings, hm_module, extension):
        host = analysis.hosts[wiring.host]
        value = editor.root_value("nixosConfigurations", host.name, host.where)
        list_node = own_modules_list(editor, value, host, hosts)
        if list_node is None or not wire_in_list(editor, list_node, value, hm_module, wiring, extension):
            left.append(wiring)
    editors = {"flake.nix": editor}

    def editor_of(file: str):
        if file not in editors:
            try:
                found = FileEditor(analysis.evaluator.parse(file))
            except Exception:  # a file the plan cannot parse is not edited
                return None
            if file in edits:
                found.changes.replacements.extend(edits[file].replacements)
            editors[file] = found
        return editors[file]

    left = extend_helpers(analysis, editor, editor_of, left, per_host, extension)
    for file, file_editor in editors.items():
        if file != "flake.nix" and (file in edits or file_editor.changes.replacements):
            edits[file] = file_editor.changes
    return left
