"""Command line: argument parsing and output only.

Heavy modules (the parser bindings, rich) are imported inside the
command so that `migrate --help` and `migrate --version` start fast.
"""

from __future__ import annotations

import os
import signal
import sys

try:
    import click
except KeyboardInterrupt:  # Ctrl-C while the command starts: a message, not a traceback
    sys.stderr.write("migrate: interrupted; nothing was written\n")
    sys.exit(130)

from migrate import __version__

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def _parse_attach(values: tuple[str, ...]) -> dict[str, list[str]]:
    attach: dict[str, list[str]] = {}
    for value in values:
        user, sep, hosts = value.partition("=")
        if not sep or not user or not hosts:
            raise click.BadParameter(f"{value!r}: expected USER=HOST[,HOST...]", param_hint="--attach")
        attach.setdefault(user, []).extend(h for h in hosts.split(",") if h)
    return attach


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("repo", required=False, type=click.Path(file_okay=False, path_type=str))
@click.option("--dry-run", is_flag=True, help="Show the analysis, plan and diff; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout instead of the report.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=str), help="Write the migrated tree to this new directory instead of a git branch.")
@click.option("--branch", default="hm-nixos-module", show_default=True, help="Name of the branch to create.")
@click.option("--force", is_flag=True, help="Replace an existing branch of that name.")
@click.option("--allow-dirty", is_flag=True, help="Run on a repository with uncommitted changes (still reads only HEAD).")
@click.option("--attach", multiple=True, metavar="USER=HOST[,HOST]", help="Attach a Home Manager user to NixOS hosts when the repository does not say.")
@click.option("--layout", type=click.Choice(["full", "keep"]), default="full", show_default=True,
              help="full: hosts/<host>/, modules/nixos/, modules/home/ (a folder that cannot move stays, and the "
                   "report says why); keep: wire Home Manager in and move no file.")
@click.option("--channels", type=click.Choice(["flake", "keep"]), default="flake", show_default=True,
              help="For a setup without flake.nix: create a flake (flake), or stay on channels and add "
                   "<home-manager/nixos> to each host's entry module, moving no file (keep).")
@click.option("--explain", "explain_rule", metavar="RULE", help="Explain a rule (e.g. HM001) and exit.")
@click.option("--no-color", is_flag=True, help="Plain output even on a terminal.")
@click.version_option(__version__, "-V", "--version", prog_name="migrate")
@click.pass_obj
def command(signals, repo, dry_run, as_json, out_dir, branch, force, allow_dirty, attach, layout, channels,
            explain_rule, no_color):
    """Move a NixOS dotfiles repository REPO from standalone Home Manager to
    Home Manager as a NixOS module.

    By default the result is committed on a new git branch of REPO; your own
    branch, index and working tree are never touched. Use --dry-run to see the
    plan and the diff without writing anything.
    """
    if explain_rule:
        from migrate.rules import explain

        text = explain(explain_rule)
        if text is None:
            raise click.UsageError(f"unknown rule {explain_rule!r}; rules are listed by `migrate --explain list`")
        click.echo(text)
        return
    if repo is None:
        raise click.UsageError("missing argument REPO")
    options = dict(
        dry_run=dry_run, as_json=as_json, out_dir=out_dir, branch=branch, force=force,
        allow_dirty=allow_dirty, attach=_parse_attach(attach), no_color=no_color, signals=signals, layout=layout,
        channels=channels,
    )
    from migrate.errors import MigrateError
    from migrate.run import run

    try:
        try:
            code = run(repo, **options)
        except OSError as err:
            # The environment failed the run (a full disk or temporary directory, a
            # permission): the file and the reason, not a traceback.
            where = f"{err.filename}: " if err.filename else ""
            raise MigrateError(f"{where}{err.strerror or err}") from None
    except MigrateError as err:
        from migrate.snapshot import display_path

        message = display_path(str(err))  # a path that is not UTF-8 (the REPO argument) as \xNN
        click.echo(f"migrate: {message}", err=True)
        if as_json:  # a script reading stdout gets a document either way
            import json

            click.echo(json.dumps({"status": "refused", "message": message}, indent=2))
        sys.exit(EXIT_REFUSED)
    except KeyboardInterrupt as interrupted:
        click.echo("migrate: interrupted; nothing was written", err=True)
        # 128 + the signal, as a shell reports a command the signal ended.
        sys.exit(128 + getattr(interrupted, "signum", signal.SIGINT))
    sys.exit(code)


def main() -> None:
    from migrate.run import Signals

    # Installed here rather than in command() so that in-process callers (click's
    # test runner) keep their own handlers. SIGTERM and SIGHUP otherwise end the
    # process on the spot, leaving the verification's temporary files behind.
    try:
        command(prog_name="migrate", obj=Signals().install())
        code = 0
    except SystemExit as done:
        code = done.code
    _exit_now(code)


def _exit_now(code) -> None:
    """Exit without tearing the interpreter down: freeing a large repository's analysis
    object by object takes a quarter of a second at 5,000 modules, and there is nothing
    left to clean up (the run has removed its temporary files itself)."""
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`migrate ... | head`) or stream
            pass
    os._exit(code or 0)
