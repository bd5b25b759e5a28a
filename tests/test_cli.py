"""The `migrate` command as a user runs it: real processes, exit codes, one-line errors."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample-configs"


def migrate(*args, cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "migrate", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})},
    )


def assert_one_line_error(result, code=1):
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_version_and_help():
    from migrate import __version__

    version = migrate("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"migrate, version {__version__}"
    usage = migrate("--help")
    assert usage.returncode == 0
    assert "Usage: migrate [OPTIONS] [REPO]" in usage.stdout
    for option in ("--dry-run", "--json", "--out", "--branch", "--force", "--allow-dirty", "--attach", "--layout",
                   "--explain"):
        assert option in usage.stdout


def test_missing_repo_argument_is_a_usage_error():
    result = migrate()
    assert result.returncode == 2
    assert "missing argument REPO" in result.stderr


def test_bad_attach_value_is_a_usage_error(tmp_path):
    result = migrate(SAMPLES / "ian-style", "--dry-run", "--attach", "tomas")
    assert result.returncode == 2
    assert "expected USER=HOST" in result.stderr


def test_dry_run_prints_the_classification():
    result = migrate(SAMPLES / "ian-style", "--dry-run", env={"NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert "Classification" in result.stdout
    assert "nixos/configuration.nix" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_json_document_has_the_stable_keys():
    result = migrate(SAMPLES / "wimpy-style", "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert {"hosts", "home_configurations", "files", "warnings"} <= set(document)
    host = next(h for h in document["hosts"] if h["name"] == "forge")
    assert {"name", "system", "modules", "users"} <= set(host)
    home = next(h for h in document["home_configurations"] if h["name"] == "dana@quill")
    assert home["host"] is None and home["user"] == "dana"
    assert {"name", "user", "host", "modules", "extra_special_args"} <= set(home)
    for info in document["files"]:
        assert {"path", "role", "reasons", "unknowns"} <= set(info)
    steamdeck = [r for r in document["rules"] if r["id"] == "HM012" and "deck@steamdeck" in r["message"]]
    assert len(steamdeck) == 1 and steamdeck[0]["file"] == "flake.nix"
    forge = next(w for w in document["wiring"] if w["host"] == "forge")
    assert forge["users"] == {"dana": ["./modules/home"]} and forge["replaces"] == ["dana@forge"]
    assert forge["form"] == "mkHost of lib/helpers.nix, the repository's helper" and forge["wrapped_because"] is None
    assert sorted(w["host"] for w in document["wiring"]) == ["forge", "kestrel", "shard"]


def test_dry_run_lists_the_rules_that_apply():
    result = migrate(SAMPLES / "channels-style", "--dry-run", env={"NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert "Rules that apply" in result.stdout
    assert "HM011 configuration.nix:" in result.stdout


def test_nonexistent_directory(tmp_path):
    assert_one_line_error(migrate(tmp_path / "nope", "--dry-run"))


def test_plain_directory_without_dry_run_or_out_is_refused(tmp_path):
    repo = tmp_path / "dotfiles"
    shutil.copytree(SAMPLES / "channels-style", repo)
    result = migrate(repo)
    assert_one_line_error(result)
    assert "not a git repository" in result.stderr and "--dry-run" in result.stderr


def test_syntax_error_names_file_line_col(tmp_path):
    repo = tmp_path / "dotfiles"
    shutil.copytree(SAMPLES / "channels-style", repo)
    (repo / "configuration.nix").write_text("{ config, ... }:\n{\n  networking.hostName = ;\n}\n")
    result = migrate(repo, "--dry-run")
    assert_one_line_error(result)
    assert result.stderr.startswith("migrate: configuration.nix:3:25: syntax error:")


def test_unknown_layout(tmp_path):
    (tmp_path / "README.md").write_text("not a nix repository\n")
    result = migrate(tmp_path, "--dry-run")
    assert_one_line_error(result)
    assert "unknown layout" in result.stderr


@pytest.fixture
def git_repo(tmp_path):
    repo = tmp_path / "dotfiles"
    shutil.copytree(SAMPLES / "ian-style", repo)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "init"]):
        subprocess.run(["git", *command], cwd=repo, check=True, env={**os.environ, **env})
    return repo


def test_dry_run_on_a_git_repository_reads_head_only(git_repo):
    # An uncommitted broken file must not matter: only HEAD is read.
    (git_repo / "nixos" / "audio.nix").write_text("{ broken = ; }\n")
    result = migrate(git_repo, "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert any("only the committed HEAD" in note for note in document["notes"])


def test_dirty_repository_without_dry_run_is_refused(git_repo):
    (git_repo / "nixos" / "audio.nix").write_text("{ }\n")
    result = migrate(git_repo)
    assert_one_line_error(result)
    assert "uncommitted changes" in result.stderr


def test_repository_without_commits(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = migrate(tmp_path, "--dry-run")
    assert_one_line_error(result)
    assert "no commits yet" in result.stderr


@pytest.mark.parametrize("args", [["--dry-run"], []], ids=["dry-run", "commit"])
def test_a_current_branch_that_cannot_be_read_is_not_called_detached(git_repo, args):
    (git_repo / ".git" / "refs" / "heads" / "main").write_text("not a hash\n")
    result = migrate(git_repo, *args)
    assert_one_line_error(result)
    assert "the current branch cannot be read" in result.stderr and "fsck" in result.stderr, result.stderr


def _on_a_terminal(*args, env_extra=None) -> str:
    """stdout of `migrate ARGS` written to a pseudo-terminal."""
    import pty

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"TERM": "xterm-256color", **(env_extra or {})})
    process = subprocess.Popen([sys.executable, "-m", "migrate", *map(str, args)], stdout=follower,
                               stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO once the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_only_without_no_color():
    sample = SAMPLES / "ian-style"
    coloured = _on_a_terminal(sample, "--dry-run")
    assert "\x1b[" in coloured and "Classification" in coloured
    # The diff's added lines are green: SGR 32 right before a "+" line.
    assert "\x1b[32m+" in coloured
    assert "\x1b[" not in _on_a_terminal(sample, "--dry-run", env_extra={"NO_COLOR": "1"})
    assert "\x1b[" not in _on_a_terminal(sample, "--dry-run", "--no-color")


def test_a_repository_argument_that_is_not_utf8_is_shown_with_escapes(tmp_path):
    missing = os.fsencode(tmp_path) + b"/dots\xff"
    result = subprocess.run([sys.executable, "-m", "migrate", missing, "--dry-run"], capture_output=True)
    assert result.returncode == 1
    stderr = result.stderr.decode("utf-8")
    assert stderr.strip().endswith("/dots\\xff: no such directory") and "udcff" not in stderr, stderr


@pytest.mark.skipif(shutil.which("nix-instantiate") is None, reason="needs nix-instantiate")
def test_a_file_nix_rejects_already_is_named_as_the_users_not_as_a_failed_verification(tmp_path):
    # Not the migration's doing (and often only an older Nix than the user's): the run
    # goes on, and the report names the user's file and Nix's message.
    repo = tmp_path / "dotfiles"
    shutil.copytree(SAMPLES / "ian-style", repo)
    backup = repo / "home-manager" / "backup.nix"  # moves, and its relative paths are rewritten
    text = backup.read_text()
    assert "  home.packages = [ backup ];\n" in text
    backup.write_text(text.replace("  home.packages = [ backup ];\n",
                                   "  home.packages = [ backup ];\n  home.packages = [ ];\n"))
    out = tmp_path / "out"
    result = migrate(repo, "--out", out, "--no-color")
    assert result.returncode == 0, result.stderr
    note = "home-manager/backup.nix: the local nix-instantiate --parse rejects this file as it is in the repository too"
    assert note in result.stdout and "verification failed" not in result.stdout + result.stderr
    assert "already defined at home-manager/backup.nix:" in result.stdout
    assert note in (out / "MIGRATION.md").read_text()


def test_layout_keep_on_the_command_line_reports_its_fallback_in_every_form():
    sample = SAMPLES / "wimpy-style"
    document = json.loads(migrate(sample, "--dry-run", "--json", "--layout", "keep").stdout)
    assert document["status"] == "planned" and document["plan"] == []
    assert document["fallbacks"] == [{"path": ".", "reason": "asked for with --layout keep"}]
    full = json.loads(migrate(sample, "--dry-run", "--json").stdout)
    assert full["fallbacks"] == [] and full["plan"]
    report = migrate(sample, "--dry-run", "--no-color", "--layout", "keep").stdout
    assert "Layout fallbacks (1)" in report
    assert "every file stays where it is (layout keep): asked for with --layout keep" in report
    wrong = migrate(sample, "--dry-run", "--layout", "flat")
    assert wrong.returncode == 2 and "'flat' is not one of 'full', 'keep'" in wrong.stderr


def test_an_already_migrated_flake_names_the_home_left_standalone_because_it_does_not_build(tmp_path):
    repo = tmp_path / "dotfiles"
    repo.mkdir()
    (repo / "flake.nix").write_text("""{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
  outputs = { nixpkgs, home-manager, ... }: {
    nixosConfigurations.desk = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ./desk.nix
        home-manager.nixosModules.home-manager
        { home-manager.users.ann = import ./ann.nix; }
      ];
    };
    nixosConfigurations.vps = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./vps.nix ];
    };
    homeConfigurations.vps = home-manager.lib.homeManagerConfiguration {
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      modules = [ ./vps/home.nix ];
    };
  };
}
""")
    (repo / "desk.nix").write_text("{ ... }: { users.users.ann.isNormalUser = true; }\n")
    (repo / "vps.nix").write_text("{ ... }: { }\n")
    (repo / "ann.nix").write_text("{ ... }: { home.stateVersion = \"24.05\"; }\n")
    result = migrate(repo, "--dry-run", env={"NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith(
        "already migrated: Home Manager runs as a NixOS module here; nothing to change; homeConfigurations.vps "
        "stays standalone: it imports a module that cannot be read (see the warnings)")
    assert "flake.nix:19: imported module vps/home.nix does not exist in the repository; home vps imports it" in result.stdout
