"""Shell completion through click's own mechanism, as the README tells users to set it up."""

import os
import subprocess
import sys

import pytest


def migrate(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "migrate"], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=60)


@pytest.mark.parametrize("shell, marker", [
    ("bash", "complete -o nosort -F _migrate_completion migrate"),
    ("zsh", "#compdef migrate"),
    ("fish", "complete --no-files --command migrate"),
])
def test_the_readme_lines_print_a_completion_script(shell, marker):
    result = migrate({"_MIGRATE_COMPLETE": f"{shell}_source"})
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout


@pytest.mark.parametrize("words, cword, expected", [
    ("migrate --dr", 1, ["plain,--dry-run"]),
    ("migrate --layout ", 2, ["plain,full", "plain,keep"]),
])
def test_options_and_their_values_complete(words, cword, expected):
    result = migrate({"_MIGRATE_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected
