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


def print_analysis(analysis: Analysis, console) -> None:
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

    table = Table(title="Classification", show_lines=False, expand=False)
    table.add_column("file", overflow="fold")
    table.add_column("role")
    table.add_column("why", overflow="fold")
    for info in analysis.files.values():
        why = info.summary
        if info.flags:
            why += "\n! " + "\n! ".join(info.flags)
        table.add_row(info.path, Text(info.role, style=_role_style(info.role)), why)
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
