"""The README's first lines are what a newcomer types; CI must run the same test command."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands():
    """The commands of the README's first block, in order (issue 18 fixed the order:
    nix run, pipx, then the two fresh-machine commands)."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def _fresh_machine_commands():
    return [c for c in _readme_commands() if c.startswith("python3 -m venv .venv && ")]


def test_the_readme_opens_with_nix_run_pipx_then_the_two_fresh_machine_commands():
    commands = _readme_commands()
    assert commands[0].startswith("nix run ") and commands[1].startswith("pipx install . ")
    assert commands[2:] == _fresh_machine_commands()
    try_it, run_tests = _fresh_machine_commands()
    sample = re.search(r"migrate (sample-configs/\S+)", try_it).group(1)
    assert (ROOT / sample).is_dir()
    assert "--dry-run" in try_it
    assert run_tests.endswith("-m pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    run_tests = _fresh_machine_commands()[1]
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci_lines[-1] == run_tests
