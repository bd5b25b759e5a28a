"""Terminal report (colours by rich). Colour only on a terminal and never with NO_COLOR."""

from __future__ import annotations

import os
import sys

from migrate.analyze.model import Analysis

ROLE_STYLE = {"system": "cyan", "user": "green", "shared": "yellow", "other": "dim", "orphan": "red"}


class Lines:
    """Report lines with a style each, written in one go.

    Rich renders a line in about a quarter of a millisecond; a large repository's
    report has tens of thousands of lines (one per file, one per diff line), so the
    lines are styled with rich's Style and written straight to stdout. Without colour
    (not a terminal, NO_COLOR, --no-color) rich is not even imported.
    """

    def __init__(self, no_color: bool = False, stream=None):
        self.stream = stream or sys.stdout
        self.plain = no_color or "NO_COLOR" in os.environ or not self.stream.isatty()
        self.items: list[tuple[str, str]] = []

    def add(self, text: str, style: str = "") -> None:
        self.items.append((text, style))

    def write(self) -> None:
        system = None if self.plain else _color_system()
        if system is None:
            out = [text + "\n" for text, _style in self.items]
        else:
            from rich.style import Style

            styles: dict[str, Style] = {}
            out = []
            for text, style in self.items:
                if style:
                    parsed = styles.get(style) or styles.setdefault(style, Style.parse(style))
                    text = parsed.render(text, color_system=system)
                out.append(text + "\n")
        self.stream.write("".join(out))
        self.stream.flush()
        self.items.clear()


def _color_system():
    """The terminal's colour system as rich detects it (TERM, COLORTERM), or None."""
    from rich.color import ColorSystem
    from rich.console import Console

    console = Console(highlight=False, emoji=False)
    if not console.is_terminal:
        return None
    names = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT,
             "truecolor": ColorSystem.TRUECOLOR, "windows": ColorSystem.WINDOWS}
    return names.get(console.color_system or "")


def _role_style(role: str) -> str:
    return "magenta" if role.startswith("host:") else ROLE_STYLE.get(role, "")


_LAYOUT_NAMES = {
    "flake-standalone": "flake with standalone Home Manager",
    "channels": "channels (no flake), standalone Home Manager",
    "already-migrated": "already migrated: Home Manager runs as a NixOS module",
}
_WIDEST_COLUMN = 48  # longer paths push the rest of their line instead of widening every line


def print_analysis(analysis: Analysis, out: Lines, plan=None) -> None:
    for note in analysis.notes:
        out.add(f"note: {note}")
    out.add(f"Layout: {_LAYOUT_NAMES.get(analysis.layout, analysis.layout)}", "bold")

    moved = {m.old: m.new for m in plan.moves} if plan is not None else {}
    infos = list(analysis.files.values())
    rows = [[info.path] + ([moved.get(info.path, "(stays)")] if plan is not None else []) + [info.role]
            for info in infos]
    header = ["file"] + (["new path"] if plan is not None else []) + ["role"]
    widths = [min(_WIDEST_COLUMN, max(len(row[i]) for row in rows + [header])) for i in range(len(header))]
    out.add("")
    out.add(f"Classification ({len(infos)} files)", "bold")
    out.add("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  why", "bold")
    for info, row in zip(infos, rows):
        cells = "  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths))
        out.add(f"  {cells}  {row[-1].ljust(widths[-1])}  {info.summary}", _role_style(info.role))
        for flag in info.flags:
            out.add(f"      ! {flag}", "yellow")

    out.add("")
    out.add("Configurations", "bold")
    for host in analysis.hosts.values():
        users = ", ".join(host.users) or "no Home Manager user"
        out.add(f"  NixOS host {host.name}: {host.system or 'system unknown'}; {len(host.files)} files; users: {users}")
    for home in analysis.homes.values():
        where = f"on {', '.join(home.hosts)}" if home.hosts else "standalone only (no NixOS host)"
        how = " (integrated)" if home.integrated else ""
        out.add(f"  Home Manager {home.name}: user {home.user or '?'} {where}{how}; {len(home.files)} files"
                + (f"; {home.attach_reason}" if home.attach_reason else ""))

    if analysis.warnings:
        out.add("")
        out.add(f"Warnings ({len(analysis.warnings)})", "bold yellow")
        for warning in analysis.warnings:
            location = warning.location()
            out.add(f"  {location + ': ' if location else ''}{warning.message}")


def print_findings(findings, out: Lines) -> None:
    """Rules whose case occurs in this repository (`migrate --explain ID` tells more)."""
    if not findings:
        return
    out.add("")
    out.add(f"Rules that apply ({len(findings)}; see `migrate --explain ID`)", "bold")
    for finding in findings:
        location = finding.location()
        out.add(f"  {finding.rule_id} {location + ': ' if location else ''}{finding.message}")


def print_plan(plan, out: Lines, analysis=None) -> None:
    """The moves of files that are not .nix (assets follow their folder) and each host's wiring."""
    others = [m for m in plan.moves if not m.old.endswith(".nix")]
    if others:
        out.add("")
        out.add(f"Other files that move with their folder ({len(others)})", "bold")
        for move in others:
            out.add(f"  {move.old} -> {move.new}")
    if plan.fallbacks:
        out.add("")
        out.add(f"Layout fallbacks ({len(plan.fallbacks)}): the wiring is done, these files keep their place", "bold yellow")
        for fallback in plan.fallbacks:
            out.add(f"  {fallback.describe()}")
    out.add("")
    out.add("Home Manager as a NixOS module", "bold")
    for wiring in plan.wirings:
        users = ", ".join(f"{user} ({' '.join(map(_one_line, mods))})" for user, mods in wiring.users.items())
        out.add(f"  host {wiring.host}: users {users}; useGlobalPkgs = "
                f"{'true' if wiring.use_global_pkgs else 'false'}; replaces {', '.join(wiring.replaces)}; {_form(wiring)}")
    for name in plan.kept_standalone:
        out.add(f"  homeConfigurations.{name} {kept_reason(plan, name, analysis)}")
    for note in plan.notes:
        out.add(f"  {note}")
    if plan.next_steps:
        out.add("")
        out.add("Next steps (as written in MIGRATION.md)", "bold")
        for command in plan.next_steps:
            out.add(f"  {command}")


DIFF_STYLES = (("diff --git", "bold"), ("rename ", "bold magenta"), ("similarity", "magenta"), ("new file", "bold green"),
               ("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


def print_diff(diff_text: str, out: Lines) -> None:
    out.add("")
    out.add("Diff", "bold")
    for line in diff_text.splitlines():
        out.add(line, next((s for prefix, s in DIFF_STYLES if line.startswith(prefix)), ""))


_STAYS = ": stays a standalone configuration"


def kept_reason(plan, name: str, analysis=None) -> str:
    if name in getattr(plan, "kept_reasons", {}):
        return "stays standalone: " + plan.kept_reasons[name].replace(_STAYS, "")
    for wiring in plan.wirings:
        if name.partition("@")[2] == wiring.host:
            return (f"stays standalone; its user on {wiring.host} is now managed by the NixOS module "
                    f"(from {', '.join(wiring.replaces)}), so do not `home-manager switch` it on {wiring.host}")
    home = analysis.homes.get(name) if analysis is not None else None
    reason = home.attach_reason if home is not None else None
    if reason and _STAYS in reason:
        why, _, after = reason.partition(_STAYS)
        return f"stays standalone: {why}{after}"
    return "stays standalone: no NixOS host of this repository is its machine"


def _left_alone(analysis, plan) -> list[str]:
    """Hosts that already ran Home Manager as a NixOS module: the migration leaves them as they are."""
    wired = {w.host for w in plan.wirings}
    users: dict[str, list[str]] = {}
    for host in analysis.hosts.values():
        if host.integrated and host.name not in wired:
            users.setdefault(host.name, [])
    for home in analysis.homes.values():
        if home.integrated and home.host and home.host not in wired:
            users.setdefault(home.host, []).append(home.user)
    return [f"**{host}**: already runs Home Manager as a NixOS module"
            + (f" ({', '.join(f'`{u}`' for u in sorted(us))})" if us else "") + "; left as it is"
            for host, us in sorted(users.items())]


def _one_line(module: str) -> str:
    """A module of the wiring as the summary line shows it: a module written inline
    (several lines of Nix) is named, not printed; flake.nix shows it whole."""
    return module if "\n" not in module else "(a module written inline)"


def _former(analysis, name: str) -> str:
    """How a migrated configuration was built: a flake output, or (channels) the file
    `home-manager switch` was pointed at."""
    home = analysis.homes.get(name)
    if home is not None and home.call is None and home.where:
        return f"`home-manager switch` on `{home.where.rsplit(':', 1)[0]}`"  # a channels root is `file:1`
    return f"`homeConfigurations.{name}`"


def markdown(analysis, plan, findings, diff_text: str, base: str | None = None) -> str:
    """MIGRATION.md: what changed and why, then how to build, switch and go back."""
    lines = ["# Home Manager as a NixOS module", "",
             "Written by hm-migrate. Home Manager no longer runs standalone for the users below:",
             "it is part of each NixOS host, so one `nixos-rebuild switch` builds system and home together.", ""]
    lines += ["## Hosts and users", ""]
    for wiring in plan.wirings:
        users = ", ".join(f"`{u}`" for u in wiring.users)
        lines.append(f"- **{wiring.host}**: {users} (was {', '.join(_former(analysis, r) for r in wiring.replaces)}); "
                     f"`useGlobalPkgs = {'true' if wiring.use_global_pkgs else 'false'}`; {_form(wiring)}")
    lines += [f"- {line}" for line in _left_alone(analysis, plan)]
    for name in plan.kept_standalone:
        lines.append(f"- `homeConfigurations.{name}` {kept_reason(plan, name, analysis)}")
    lines += _removed_entries(plan)
    lines += ["", "## Files", ""]
    if plan.fallbacks:
        lines += ["Files that keep their place (the Home Manager wiring does not depend on the layout):", ""]
        lines += [f"- {'every file stays where it is (layout keep)' if not f.path else '`' + f.path + '` stays where it is'}: "
                  f"{f.reason}" for f in plan.fallbacks]
        lines.append("")
    if plan.moves:
        lines += ["| old path | new path | why |", "|---|---|---|"]
    else:
        lines.append("No file moves.")
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
    if plan.keeps_channels:
        lines += _channels_next_steps(plan, base)
        lines += ["", "## Diff", "", "```diff", diff_text.rstrip("\n"), "```", ""]
        return "\n".join(lines)
    hosts = [w.host for w in plan.wirings] or sorted(analysis.hosts)
    lines += ["", "## Next steps", "",
              "1. Build each host without activating it:", ""]
    lines += [f"       nixos-rebuild build --flake {_flake_ref(analysis, host)}" for host in hosts]
    lines += ["", "2. Compare with what runs now (nvd is in nixpkgs):", "",
              "       nvd diff /run/current-system ./result", "",
              f"3. Switch. Files Home Manager finds in its way are renamed to `*.{plan.backup_extension}`:", ""]
    lines += [f"       sudo nixos-rebuild switch --flake {_flake_ref(analysis, host)}" for host in hosts]
    lines += ["", "4. Once it works, stop using `home-manager switch` for these users.", "",
              "To go back: `git switch " + (base or "<your previous branch>") + "`, then "
              "`sudo nixos-rebuild switch --flake .#HOST` and `home-manager switch --flake .#USER` as before; "
              "or boot the previous generation from the boot menu."]
    # No branch name here: the notes on the branch and in an --out tree are the same file.
    lines += ["", "## Diff", "", "```diff", diff_text.rstrip("\n"), "```", ""]
    return "\n".join(lines)


def _form(wiring) -> str:
    form = getattr(wiring, "form", "wrapper")
    if form == "wrapper":
        why = getattr(wiring, "wrapped_because", "") or "its definition is built by code the tool does not rewrite"
        return f"wrapped as it was built ({why})"
    return f"wired in {form}"


def _removed_entries(plan) -> list[str]:
    """The standalone entries taken out of the flake, each with the comments it held: no
    comment is lost, it is either in the flake or here."""
    removed = getattr(plan, "removed_comments", [])
    if not removed:
        return []
    lines = ["", "## Removed from the flake", "",
             "These standalone entries now run as part of their hosts; the comments they held are quoted below.", ""]
    for label, where, comments in removed:
        lines.append(f"- `{label}` (`{where}`){':' if comments else ''}")
        if comments:
            lines.append("")
            for comment in comments:
                lines += [f"      {line}" for line in comment.splitlines()]
            lines.append("")
    if lines[-1] == "":
        lines.pop()
    return lines


def _flake_ref(analysis, host: str) -> str:
    """`.#host`, or `./nixos#host` for a host whose flake is in a folder."""
    root = analysis.hosts.get(host)
    file = (root.where or "").split(":")[0] if root is not None else ""
    folder = file.rpartition("/")[0] if file.endswith("flake.nix") else ""
    return f"./{folder}#{host}" if folder else f".#{host}"


def _channels_next_steps(plan, base) -> list[str]:
    """--channels keep: root's channels get Home Manager, then nixos-rebuild as before."""
    adds = [c for c in plan.next_steps if c.startswith("sudo nix-channel --add")]
    rest = [c for c in plan.next_steps if c not in adds]
    lines = ["", "## Next steps", "",
             "Home Manager's NixOS module comes from root's channels (`nixos-rebuild` runs as root):", ""]
    lines += [f"       {command}" for command in adds]
    lines += ["", "Then fetch them and switch. Files Home Manager finds in its way are renamed to "
              f"`*.{plan.backup_extension}`:", ""]
    lines += [f"       {command}" for command in rest]
    lines += ["", "Once it works, stop using `home-manager switch` for these users.", "",
              "To go back: `git switch " + (base or "<your previous branch>") + "`, then `sudo nixos-rebuild "
              "switch` and `home-manager switch` as before; or boot the previous generation from the boot menu."]
    return lines
