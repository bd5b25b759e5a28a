"""What the analysis found, as plain data: roots, their module graphs, file roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass(frozen=True)
class Warning:
    file: Optional[str]
    line: Optional[int]
    message: str

    def location(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass(slots=True)  # one per import per root: hundreds of thousands in a large repository
class Edge:
    """One way a root reaches a file: who imported it, where, and under which conditions."""

    importer: str  # repo path of the importing file
    where: str  # file:line of the import expression
    kind: str  # 'module' (imports / modules list) or 'value' (import, callPackage, readFile)
    conditions: tuple[str, ...] = ()


@dataclass(slots=True)
class Reach:
    """How one root reaches one file: the first chain found, and whether every way in is conditional."""

    chain: tuple[str, ...]
    edges: list[Edge] = field(default_factory=list)
    unconditional: bool = False

    @property
    def conditional(self) -> bool:
        return not self.unconditional


@dataclass
class Root:
    """A NixOS host or a Home Manager configuration, with what it evaluates."""

    kind: str  # 'nixos' or 'home'
    name: str  # host name, or the homeConfigurations key
    where: str  # file:line where it is defined
    set_where: Optional[str] = None  # file:line:col of the nixosConfigurations / homeConfigurations set holding it
    user: Optional[str] = None
    host: Optional[str] = None  # the one NixOS host a home configuration is attached to
    hosts: list[str] = field(default_factory=list)  # all of them (one user on several hosts)
    ambiguous: bool = False  # HM008: attachment needs --attach
    integrated: bool = False
    system: Optional[str] = None
    args: Any = None  # AttrSet of specialArgs / extraSpecialArgs (evaluator value)
    args_where: Optional[str] = None
    call: Any = None  # the evaluator's SystemCall, for the planner
    entries: list = field(default_factory=list)  # top-level module list items (evaluator values)
    files: dict[str, Reach] = field(default_factory=dict)
    external_modules: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)  # for hosts: attached HM users
    nixpkgs_pkgs: list = field(default_factory=list)  # for hosts: thunks of nixosSystem's `pkgs` and the `nixpkgs.pkgs` its modules set
    hm_settings: dict = field(default_factory=dict)  # for hosts: home-manager.<setting> -> thunks of its definitions
    attach_reason: Optional[str] = None
    unreadable: list[str] = field(default_factory=list)  # modules it imports that cannot be read, and why
    attach_candidates: list[str] = field(default_factory=list)  # HM008: hosts to choose from with --attach
    attach_basis: Optional[str] = None  # what attached it: attach, key, folder, users, only-host

    @property
    def label(self) -> str:
        return f"host {self.name}" if self.kind == "nixos" else f"home {self.name}"

    def arg_names(self) -> list[str]:
        names = getattr(self.args, "names", None)
        return sorted(names()) if callable(names) else []


@dataclass
class FileInfo:
    path: str
    role: str
    reasons: list[str] = field(default_factory=list)
    namespaces: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    summary: str = ""

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "role": self.role,
            "summary": self.summary,
            "reasons": self.reasons,
            "namespaces": self.namespaces,
            "unknowns": self.unknowns,
            "flags": self.flags,
        }


@dataclass
class Analysis:
    layout: str  # 'flake-standalone', 'channels', 'already-migrated'
    hosts: dict[str, Root]
    homes: dict[str, Root]
    files: dict[str, FileInfo]
    warnings: list[Warning] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flake_level: set[str] = field(default_factory=set)
    # host name -> how a channels host picks its machine outside its Nix code (host_choice.py)
    host_choices: dict = field(default_factory=dict)
    unparsable: dict[str, str] = field(default_factory=dict)  # path -> why; nothing imports them
    flake_inputs: dict[str, dict[str, str]] = field(default_factory=dict)  # flake file -> input -> declaration
    flake_outputs: Any = None  # flake.nix's outputs as evaluated (an AttrSet), for naming values by `self.<path>`
    # Answers later stages compute from the analysis (rules' per-root module sources),
    # kept as long as the analysis they describe.
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def to_json(self) -> dict:
        return {
            "layout": self.layout,
            "hosts": [
                {
                    "name": h.name,
                    "system": h.system,
                    "where": h.where,
                    "modules": sorted(h.files),
                    "conditional_modules": sorted(p for p, r in h.files.items() if r.conditional),
                    "external_modules": h.external_modules,
                    "special_args": h.arg_names(),
                    "users": h.users,
                }
                for h in self.hosts.values()
            ],
            "home_configurations": [
                {
                    "name": c.name,
                    "user": c.user,
                    "host": c.host,
                    "hosts": c.hosts,
                    "integrated": c.integrated,
                    "where": c.where,
                    "attach_reason": c.attach_reason,
                    "attach_candidates": c.attach_candidates,
                    "modules": sorted(c.files),
                    "conditional_modules": sorted(p for p, r in c.files.items() if r.conditional),
                    "external_modules": c.external_modules,
                    "extra_special_args": c.arg_names(),
                }
                for c in self.homes.values()
            ],
            "files": [info.to_json() for info in self.files.values()],
            "warnings": [w.to_json() for w in self.warnings],
            "unparsable": [{"path": path, "error": why} for path, why in sorted(self.unparsable.items())],
            "notes": self.notes,
        }
