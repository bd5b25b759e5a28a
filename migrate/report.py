"""Terminal report (rich). Colour only on a terminal and never with NO_COLOR."""

from __future__ import annotations

import os
import sys

from migrate.analyze.model import Analysis

ROLE_STYLE = {"system": "cyan", "user": "green", "shared": "yellow", "other": "dim", "orphan": "red"}


def make_console(no_color: bool = False):
    from rich.console import Console

    plain = no_color or "NO_COLOR" in os.environ or not sys.stdout.isatty()
    return Console(no_color=plain, highlight=False, soft_wrap=False, emoji=False,
                   force_terminal=None if not plain else False, width=None if not plain else 120)


def _role_style(role: str) -> str:
    return "magenta" if role.startswith("host:") else ROLE_STYLE.get(role, "")


def print_analysis(analysis: Analysis, console, plan=None) -> None:
    from rich.table import Table
    from rich.text import Text

    for note in analysis.notes:
        console.print(f"note: {note}")
    layout_names = {
        "flake-standalone": "flake with standalone Home Manager",
        "channels": "channels (no flake), standalone Home Manager",
        "already-migrated": "already migrated: Home Manager runs as a NixOS module",
    }
    console.print(Text(f"Layout: {layout_names.get(analysis.layout, analysis.layout)}", style="bold"))

    moved = {m.old: m.new for m in plan.moves} if plan is not None else {}
    table = Table(title="Classification", show_lines=False, expand=False)
    table.add_column("file", overflow="fold")
    if plan is not None:
        table.add_column("new path", overflow="fold")
    table.add_column("role")
    table.add_column("why", overflow="fold")
    for info in analysis.files.values():
        why = info.summary
        if info.flags:
            why += "\n! " + "\n! ".join(info.flags)
        cells = [info.path] + ([moved.get(info.path, "(stays)")] if plan is not None else [])
        table.add_row(*cells, Text(info.role, style=_role_style(info.role)), why)
    console.print(table)

    roots = Table(title="Configurations", expand=False)
    roots.add_column("kind")
    roots.add_column("name")
    roots.add_column("details", overflow="fold")
    for host in analysis.hosts.values():
        users = ", ".join(host.users) or "no Home Manager user"
        roots.add_row("NixOS host", host.name, f"{host.system or 'system unknown'}; {len(host.files)} files; users: {users}")
    for home in analysis.homes.values():
        where = f"on {home.host}" if home.host else "standalone only (no NixOS host)"
        how = " (integrated)" if home.integrated else ""
        roots.add_row("Home Manager", home.name, f"user {home.user or '?'} {where}{how}; {len(home.files)} files"
                      + (f"; {home.attach_reason}" if home.attach_reason else ""))
    console.print(roots)

    if analysis.warnings:
        console.print(Text(f"Warnings ({len(analysis.warnings)})", style="bold yellow"))
        for warning in analysis.warnings:
            location = warning.location()
            console.print(f"  {location + ': ' if location else ''}{warning.message}", markup=False)


def print_findings(findings, console) -> None:
    """Rules whose case occurs in this repository (`migrate --explain ID` tells more)."""
    from rich.text import Text

    if not findings:
        return
    console.print(Text(f"Rules that apply ({len(findings)}; see `migrate --explain ID`)", style="bold"))
    for finding in findings:
        location = finding.location()
        console.print(f"  {finding.rule_id} {location + ': ' if location else ''}{finding.message}", markup=False)


def print_plan(plan, console) -> None:
    """The moves of files that are not .nix (assets follow their folder) and each host's wiring."""
    from rich.text import Text

    others = [m for m in plan.moves if not m.old.endswith(".nix")]
    if others:
        console.print(Text(f"Other files that move with their folder ({len(others)})", style="bold"))
        for move in others:
            console.print(f"  {move.old} -> {move.new}", markup=False)
    console.print(Text("Home Manager as a NixOS module", style="bold"))
    for wiring in plan.wirings:
        users = ", ".join(f"{user} ({' '.join(mods)})" for user, mods in wiring.users.items())
        console.print(f"  host {wiring.host}: users {users}; useGlobalPkgs = "
                      f"{'true' if wiring.use_global_pkgs else 'false'}; replaces {', '.join(wiring.replaces)}",
                      markup=False)
    for name in plan.kept_standalone:
        console.print(f"  homeConfigurations.{name} {kept_reason(plan, name)}", markup=False)
    for note in plan.notes:
        console.print(f"  {note}", markup=False)


DIFF_STYLES = (("diff --git", "bold"), ("rename ", "bold magenta"), ("similarity", "magenta"), ("new file", "bold green"),
               ("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


def print_diff(diff_text: str, console) -> None:
    from rich.text import Text

    console.print(Text("Diff", style="bold"))
    for line in diff_text.splitlines():
        style = next((s for prefix, s in DIFF_STYLES if line.startswith(prefix)), "")
        console.print(Text(line, style=style), soft_wrap=True)


def kept_reason(plan, name: str) -> str:
    for wiring in plan.wirings:
        if name.partition("@")[2] == wiring.host:
            return (f"stays standalone; its user on {wiring.host} is now managed by the NixOS module "
                    f"(from {', '.join(wiring.replaces)}), so do not `home-manager switch` it on {wiring.host}")
    return "stays standalone: no NixOS host of this repository is its machine"


def markdown(analysis, plan, findings, diff_text: str, branch: str | None = None, base: str | None = None) -> str:
    """MIGRATION.md: what changed and why, then how to build, switch and go back."""
    lines = ["# Home Manager as a NixOS module", "",
             "Written by hm-migrate. Home Manager no longer runs standalone for the users below:",
             "it is part of each NixOS host, so one `nixos-rebuild switch` builds system and home together.", ""]
    lines += ["## Hosts and users", ""]
    for wiring in plan.wirings:
        users = ", ".join(f"`{u}`" for u in wiring.users)
        lines.append(f"- **{wiring.host}**: {users} (was {', '.join(f'`homeConfigurations.{r}`' for r in wiring.replaces)}); "
                     f"`useGlobalPkgs = {'true' if wiring.use_global_pkgs else 'false'}`")
    for name in plan.kept_standalone:
        lines.append(f"- `homeConfigurations.{name}` {kept_reason(plan, name)}")
    lines += ["", "## Files", "", "| old path | new path | why |", "|---|---|---|"]
    for move in plan.moves:
        lines.append(f"| `{move.old}` | `{move.new}` | {move.reason} |")
    if findings:
        lines += ["", "## Rules applied", ""]
        for finding in findings:
            where = finding.location()
            lines.append(f"- {finding.rule_id} {('`' + where + '`: ') if where else ''}{finding.message}")
    if analysis.warnings:
        lines += ["", "## Warnings", ""]
        for warning in analysis.warnings:
            where = warning.location()
            lines.append(f"- {('`' + where + '`: ') if where else ''}{warning.message}")
    if plan.notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in plan.notes]
    hosts = [w.host for w in plan.wirings] or sorted(analysis.hosts)
    lines += ["", "## Next steps", "",
              "1. Build each host without activating it:", ""]
    lines += [f"       nixos-rebuild build --flake .#{host}" for host in hosts]
    lines += ["", "2. Compare with what runs now (nvd is in nixpkgs):", "",
              "       nvd diff /run/current-system ./result", "",
              "3. Switch. Files Home Manager finds in its way are renamed to `*.hm-backup`:", ""]
    lines += [f"       sudo nixos-rebuild switch --flake .#{host}" for host in hosts]
    lines += ["", "4. Once it works, stop using `home-manager switch` for these users.", "",
              "To go back: `git switch " + (base or "<your previous branch>") + "`, then "
              "`sudo nixos-rebuild switch --flake .#HOST` and `home-manager switch --flake .#USER` as before; "
              "or boot the previous generation from the boot menu."]
    if branch:
        lines += ["", f"Branch: `{branch}`."]
    lines += ["", "## Diff", "", "```diff", diff_text.rstrip("\n"), "```", ""]
    return "\n".join(lines)
