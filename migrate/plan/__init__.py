"""The migration plan: every file's new path and new bytes, computed before anything
is written (DESIGN.md sections 2 and 4).

``make_plan(analysis, snapshot, findings)`` returns a ``Plan``: the moves (old,
new, reason), the new tree as bytes, the per-host Home Manager wiring and the
notes for the report.  Nothing here touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from migrate.analyze.flakes_in_folders import LAYOUT as FLAKES_IN_FOLDERS, flake_files
from migrate.errors import MigrateError
from migrate.nix.edit import ChangeSet, EditError
from migrate.plan import snowfall
from migrate.plan.commands import stale_commands
from migrate.plan.mentions import old_path_mentions
from migrate.plan.flake import BACKUP_EXTENSION, FlakeEditor, HostWiring, backup_extension
from migrate.plan.forms import place_in_definitions
from migrate.plan.layout import Move
from migrate.plan.paths import PathMap
from migrate.plan.placement import Fallback, known_targets_of, place_files, rewrite_paths  # noqa: F401 (re-exported)
from migrate.plan.symlinks import retargeted
from migrate.plan.tree import PlannedTree
from migrate.plan.wiring import WiringBuilder, input_of


@dataclass
class Plan:
    already_migrated: bool = False
    nothing_to_do: Optional[str] = None  # why, when there is nothing to migrate
    moves: list[Move] = field(default_factory=list)
    tree: dict[str, bytes] = field(default_factory=dict)  # the whole new tree (a PlannedTree once built)
    modes: dict[str, int] = field(default_factory=dict)  # new path -> git mode
    changed: set[str] = field(default_factory=set)  # new paths whose bytes differ from the old file
    edited_ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # old path -> replaced ranges
    removed_ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # old path -> ranges now comments
    wirings: list[HostWiring] = field(default_factory=list)
    migrating: list[str] = field(default_factory=list)  # homeConfigurations keys now inside hosts
    kept_standalone: list[str] = field(default_factory=list)
    kept_reasons: dict[str, str] = field(default_factory=dict)  # home -> why it stays standalone, when unusual
    notes: list[str] = field(default_factory=list)
    fallbacks: list[Fallback] = field(default_factory=list)  # folders the layout kept in place, and why
    # What the migration adds on purpose, so verification does not count it as a difference:
    expected_new_args: set[str] = field(default_factory=set)  # special args (channels: `inputs`)
    expected_new_externals: set[str] = field(default_factory=set)  # modules from inputs that replace <channel> lookups
    expected_new_inputs: set[tuple[str, str]] = field(default_factory=set)  # (flake file, input) the plan adds
    backup_extension: str = BACKUP_EXTENSION  # home-manager.backupFileExtension the hosts get
    # (label, file:line, comments) of each standalone entry removed from the flake
    removed_comments: list = field(default_factory=list)
    keeps_channels: bool = False  # --channels keep: no flake, the hosts' entry modules import <home-manager/nixos>
    natural_forms: bool = False  # some host of an existing flake got Home Manager other than by the wrapper
    next_steps: list[str] = field(default_factory=list)  # commands the report tells the user to run, in order
    path_map: Optional[PathMap] = field(default=None, repr=False, compare=False)
    # Each edited file's new bytes -> the parse that checked the edit: verification's
    # analysis of the planned tree takes it instead of parsing the bytes again.
    edit_parses: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def changes_anything(self) -> bool:
        return bool(self.moves or self.changed)

    def moves_file(self, path: str) -> bool:
        """Whether PATH gets a new place."""
        return self.path_map is not None and path in self.path_map.moves

    def to_json(self) -> list[dict]:
        return [m.to_json() for m in self.moves]


def migrating_homes(analysis) -> tuple[dict[str, list], list]:
    """host name -> the standalone configurations that become its users; and the ones kept standalone."""
    per_host: dict[str, list] = {}
    kept = []
    for home in analysis.homes.values():
        if home.integrated:
            continue
        if home.ambiguous:
            candidates = home.attach_candidates or sorted(analysis.hosts)
            raise MigrateError(f"homeConfigurations.{home.name}: cannot tell which NixOS host user {home.user} "
                               f"belongs to ({home.attach_reason}); pass --attach {home.user}=HOST[,HOST] with "
                               f"HOST among {', '.join(candidates)} (HM008); nothing was written")
        if not home.hosts:
            kept.append(home)
            continue
        for host in home.hosts:
            per_host.setdefault(host, []).append(home)
    for host, homes in per_host.items():
        by_user: dict[str, list] = {}
        for home in homes:
            by_user.setdefault(home.user, []).append(home)
        chosen = []
        for user, candidates in by_user.items():
            if len(candidates) == 1:
                chosen.append(candidates[0])
                continue
            exact = [h for h in candidates if h.name == f"{user}@{host}"]
            if len(exact) != 1:
                names = ", ".join(h.name for h in candidates)
                raise MigrateError(f"host {host}: {names} are all user {user}; only one can become "
                                   f"home-manager.users.{user}. Pick it with --attach KEY={host} (HM008); nothing was written")
            chosen.append(exact[0])
            kept.extend(h for h in candidates if h is not exact[0] and h not in kept)
        per_host[host] = sorted(chosen, key=lambda h: h.user or "")
    kept = [h for h in kept if not any(h in v for v in per_host.values())]
    unreadable = [message for root in [*analysis.hosts.values(), *analysis.homes.values()] for message in root.unreadable]
    if not per_host and unreadable:
        # What keeps every configuration from migrating:
        raise MigrateError(f"{unreadable[0]}; fix the file (for one that does not parse, `nix-instantiate --parse` "
                           "shows Nix's own message) or remove the import, and run again; nothing was written")
    return per_host, kept


def nothing_to_do(analysis, kept) -> str:
    """Why nothing migrates, with the way to say which host a configuration runs on."""
    why = "no standalone Home Manager configuration belongs to a NixOS host of this repository"
    if not kept or not analysis.hosts:
        return why
    names = ", ".join(h.name for h in kept[:3]) + (f" and {len(kept) - 3} more" if len(kept) > 3 else "")
    return (f"{why} ({names} {'names' if len(kept) == 1 else 'name'} none of {', '.join(sorted(analysis.hosts))}); "
            f"if one runs on a host here, say which: --attach {kept[0].name}={sorted(analysis.hosts)[0]}")


def make_plan(analysis, snapshot, findings, *, mentions: bool = True, layout: str = "full",
              channels: str = "flake", forms: str = "natural") -> Plan:
    """The plan; with mentions=False the notes on old-path mentions are left out, for
    the caller to add from `mention_notes` (the command line makes them beside verification).
    CHANNELS: what a channels setup becomes, "flake" (a new flake.nix) or "keep".
    FORMS: "natural" writes each host's Home Manager the way a user would (forms.py),
    "wrapper" wraps every host of an existing flake as it was built (the fallback)."""
    if analysis.layout == "already-migrated":
        # Homes that do not build stay standalone; the closing line names them.
        broken = sorted(h.name for h in analysis.homes.values() if h.unreadable and not h.integrated)
        return Plan(already_migrated=True, kept_standalone=broken)
    if channels == "keep" and analysis.layout != "channels":
        raise MigrateError("--channels keep is for a repository without flake.nix (a channels setup); this one has "
                           "a flake, which the migration edits; nothing was written")
    if analysis.layout == "channels" and channels == "keep":
        from migrate.plan.channels_keep import make_keep_plan
        plan = make_keep_plan(analysis, snapshot, findings)
    elif analysis.layout == "channels":
        from migrate.plan.channels import FlakeImpossible, make_channels_plan
        try:
            plan = make_channels_plan(analysis, snapshot, findings, layout)
        except FlakeImpossible as why:
            # Home Manager as a NixOS module is the migration; the flake is a bonus too.
            from migrate.plan.channels_keep import make_keep_plan
            plan = make_keep_plan(analysis, snapshot, findings)
            plan.fallbacks.append(Fallback("", f"no flake.nix is made, the setup stays on channels (as with "
                                               f"--channels keep): {why.reason}"))
    elif analysis.layout == FLAKES_IN_FOLDERS:
        from migrate.plan.flakes_in_folders import make_flakes_in_folders_plan
        plan = make_flakes_in_folders_plan(analysis, snapshot, findings)
    else:
        plan = _flake_plan(analysis, snapshot, findings, layout, forms)
    if mentions:
        plan.notes.extend(mention_notes(snapshot, plan))
    return plan


def _flake_plan(analysis, snapshot, findings, layout: str, forms: str = "natural") -> Plan:
    per_host, kept = migrating_homes(analysis)
    if not per_host:
        return Plan(nothing_to_do=nothing_to_do(analysis, kept))
    if snowfall.is_snowfall(analysis):
        snowfall.refuse(analysis, per_host)
    homes = [h for hs in per_host.values() for h in hs]
    placement = place_files(analysis, snapshot, homes, layout)
    moves, path_map, edits = placement.moves, placement.path_map, placement.edits
    plan = Plan(moves=sorted(moves.values(), key=lambda m: m.old), fallbacks=placement.fallbacks)
    plan.notes.extend(placement.notes)
    plan.migrating = sorted({h.name for h in homes})
    plan.kept_standalone = sorted(h.name for h in kept)
    plan.kept_reasons = {h.name: h.attach_reason for h in kept if h.unreadable or "cannot be read" in (h.attach_reason or "")}
    _edit_flake(analysis, edits, path_map, per_host, findings, plan, forms)
    build_tree(snapshot, moves, edits, plan)
    plan.path_map = path_map
    return plan


def mention_notes(snapshot, plan: Plan) -> list[str]:
    if plan.path_map is None:
        return []
    from_channels = not snapshot.is_file("flake.nix") and not flake_files(snapshot)
    return ([f"not edited: {mention}" for mention in old_path_mentions(snapshot, plan.path_map)]
            + stale_commands(snapshot, plan, from_channels))


def _edit_flake(analysis, edits, path_map, per_host, findings, plan: Plan, forms: str = "natural") -> None:
    nix = analysis.evaluator.parse("flake.nix")
    homes = [h for hs in per_host.values() for h in hs]
    hm_input = _home_manager_input(homes)
    editor = FlakeEditor(nix, hm_input)
    if "flake.nix" in edits:
        editor.changes.replacements.extend(edits["flake.nix"].replacements)
    builder = WiringBuilder(analysis, editor, path_map, findings)
    hm_module = f"{editor.input_expr(hm_input)}.nixosModules.home-manager"
    plan.backup_extension = backup_extension(findings)
    if analysis.evaluator.flake_parts or not _found_by_name(editor, analysis, per_host):
        from migrate.plan.module_sites import edit_definitions
        plan.wirings, plan.removed_comments = edit_definitions(analysis, editor, edits, path_map, per_host, builder,
                                                               hm_module, plan.backup_extension, hm_input,
                                                               natural=forms == "natural")
        _follow_nixpkgs(editor, hm_input, plan)
        edits["flake.nix"] = editor.changes
        plan.natural_forms = any(w.form != "wrapper" for w in plan.wirings)
        plan.notes.extend(builder.copied)
        return
    wirings = [builder.build(analysis.hosts[name], homes) for name, homes in sorted(per_host.items())]
    wrapped = wirings if forms != "natural" else \
        place_in_definitions(analysis, editor, wirings, hm_module, plan.backup_extension, edits, per_host)
    _never_twice(wrapped)
    if wrapped:
        helper = editor.add_mk_host(hm_module, plan.backup_extension)
        for wiring in wrapped:
            editor.wrap_host(wiring.host, helper, wiring, analysis.hosts[wiring.host].where)
    for home in homes:
        editor.replace_home(home.name, sorted(home.hosts), home.where)
    staying = [h.name for h in analysis.homes.values() if not h.integrated and h not in homes
               and editor.root_value("homeConfigurations", h.name, h.where) is None]
    editor.finish(staying)
    _follow_nixpkgs(editor, hm_input, plan)
    edits["flake.nix"] = editor.changes
    plan.wirings = wirings
    plan.removed_comments = editor.removed_comments
    plan.notes.extend(builder.copied)
    plan.natural_forms = any(w.form != "wrapper" for w in wirings)


def _never_twice(wrapped) -> None:
    """The wrapper adds Home Manager's NixOS module: never to a host that imports it already
    (attach.takes_settings lets only hosts whose own modules list can take the settings)."""
    for wiring in wrapped:
        if wiring.module_imported:
            raise MigrateError(f"host {wiring.host} imports Home Manager's NixOS module already, and its "
                               "definition cannot take the users' settings alone; add them to its "
                               "home-manager.users by hand; nothing was written")


def _found_by_name(editor, analysis, per_host) -> bool:
    """Whether every migrating host and home is in flake.nix's outputs set, written by name
    or in a set computed by one expression; else they are edited where they are defined
    (`outputs` computed by flake-utils, a set inherited from an imported file)."""
    if editor.result is None:
        return False
    for attribute, roots in (("nixosConfigurations", [analysis.hosts[name] for name in per_host]),
                             ("homeConfigurations", [h for hs in per_host.values() for h in hs])):
        for root in roots:
            if editor.root_value(attribute, root.name, root.where) is None and editor.generator(attribute) is None:
                return False
    return True


def _follow_nixpkgs(editor, hm_input: str, plan: Plan) -> None:
    plan.expected_new_inputs.add(("flake.nix", hm_input))
    if editor.follow_nixpkgs(hm_input):
        plan.notes.append(f"HM010: input {hm_input} now follows nixpkgs (inputs.nixpkgs.follows = \"nixpkgs\")")


def _home_manager_input(homes) -> str:
    for home in homes:
        function = home.call.function if home.call is not None else ""
        name, _rest = input_of(function)
        if name and name not in ("lib", "home-manager") and "homeManagerConfiguration" in function:
            return name
    return "home-manager"


def build_tree(snapshot, moves: dict[str, Move], edits: dict[str, ChangeSet], plan: Plan) -> None:
    plan.tree = PlannedTree(snapshot)
    new_path_of = None
    for path in snapshot.paths():
        new = moves[path].new if path in moves else path
        if snapshot.is_symlink(path):
            new_path_of = new_path_of if new_path_of is not None else {old: m.new for old, m in moves.items()}
            plan.tree[new] = retargeted(snapshot, path, new, new_path_of)
            plan.modes[new] = 0o120000
            continue
        if path in edits:
            changes = edits[path]
            plan.edited_ranges[path] = sorted((r.start, r.end) for r in changes.replacements)
            if getattr(changes, "removed_ranges", None):
                plan.removed_ranges[path] = sorted(changes.removed_ranges)
            try:
                edited = changes.apply()
            except EditError as error:
                raise MigrateError(f"{path}: the planned edit does not parse ({error}); nothing was written") from None
            plan.changed.add(new)
            plan.tree[new] = edited.data
            plan.edit_parses[edited.data] = edited
        else:
            plan.tree.carry(new, path)
        plan.modes[new] = 0o100755 if snapshot.is_executable(path) else 0o100644
