"""Evaluate a dotfiles repository with the real Nix evaluator, against stubs.

This is the independent check of the migration: it shares no code with the
analyzer in `migrate/`. `nix-instantiate --eval` evaluates the repository's
own flake (or channel-style `configuration.nix` / `home.nix`) against stub
inputs written from scratch in `tests/nix_stubs/`, and walks each
configuration's module graph the way `lib.evalModules` does (see
`nix_stubs/walk.nix`). No flakes machinery, no network, no store writes.

    evaluate_repo(repo_dir) -> {
      "nixos": {HOST: {"system", "special_args", "modules", "external", "home_manager"}},
      "home":  {NAME: {"modules", "external", "extra_special_args", "described_args", "pkgs"}},
    }

`home_manager` is None unless the host imports the home-manager NixOS module;
otherwise {"use_global_pkgs", "use_user_packages", "backup_file_extension",
"extra_special_args", "described_args", "shared_external",
"users": {USER: {"modules", "external"}}, "users_nixpkgs": {USER: {"config", "overlays",
"pkgs_path"}}}, where a user's lists include what `sharedModules` brings. `users_nixpkgs`
is what the user's modules set under `nixpkgs` (`config` merged from the definitions of
the highest priority, each overlay as the names it adds) and `_module.args.pkgsPath`;
a standalone home's `pkgs` is {"source": marker of its nixpkgs, "config", "overlays"}.
`modules` are repo-relative `.nix` files evaluated as
modules; `external` are markers of modules from inputs ("agenix.nixosModules.default")
or paths outside the repository ("nixpkgs:/nixos/modules/installer/scan/not-detected.nix",
"nixos-hardware:/lenovo/thinkpad/x1/9th-gen" for a channel lookup).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

STUBS = Path(__file__).resolve().parent / "nix_stubs"
NIX_INSTANTIATE = shutil.which("nix-instantiate")


class NixEvalError(RuntimeError):
    """nix-instantiate rejected the repository (or the stubs lack something it needs)."""


# `NAME.nixosModules.X`, `inputs.NAME.homeManagerModules.X`, ...: Nix cannot
# answer "any attribute", so the stubs export what the text asks for.
_MODULE_REF = re.compile(r"(?<![\w'-])([A-Za-z_][\w'-]*)\.([A-Za-z]*Modules)\.([A-Za-z_][\w'-]*)")
# `NAME.overlays.X`: the overlays an input exports, likewise named by the text
_OVERLAY_REF = re.compile(r"(?<![\w'-])([A-Za-z_][\w'-]*)\.overlays\.([A-Za-z_][\w'-]*)")
# `<nixpkgs>`, `<home-manager/nixos>`, `<nixos-hardware/lenovo/...>`
_CHANNEL_REF = re.compile(r"<([A-Za-z_][\w.+-]*)((?:/[\w.+-]+)*)>")
_NIXPKGS_CHANNEL = re.compile(r"^(nixpkgs|nixos)(-unstable|-small|-unstable-small|-\d\d\.\d\d(-small)?)?$")
# the repository itself, not a fork-named neighbour such as nixpkgs-wayland
_NIXPKGS_URL = re.compile(
    r"^((github:|https://github\.com/)nixos/nixpkgs(?=[/?]|$)|(flake:)?nixpkgs(?=[/?]|$)|https://(channels\.)?nixos\.org/)"
)
_HOME_MANAGER_URL = re.compile(r"^(github:|https://github\.com/)nix-community/home-manager(?=[/?]|$)")
_SNOWFALL_LIB_URL = re.compile(r"^(github:|https://github\.com/)snowfallorg/lib(?=[/?]|$)")
_FLAKE_PARTS_URL = re.compile(r"^(github:|https://github\.com/)hercules-ci/flake-parts(?=[/?]|$)")
_FLAKE_UTILS_URL = re.compile(r"^(github:|https://github\.com/)numtide/flake-utils(?=[/?]|$)")
_IMPORT_TREE_URL = re.compile(r"^(github:|https://github\.com/)vic/import-tree(?=[/?]|$)")


def evaluate_repo(repo_dir: Path, channel_entries: dict | None = None, describe: tuple = ()) -> dict:
    """CHANNEL_ENTRIES (channels setups whose entries are not at the top): {"hosts": {name
    if hostName is unset: path}, "homes": {key: path}}, as the user's commands name them.
    DESCRIBE: extraSpecialArgs names whose values are reported (`described_args`), as plain
    data: repository paths as "path:<repo path>", inputs by marker, functions as "<function>"."""
    if NIX_INSTANTIATE is None:
        raise NixEvalError("nix-instantiate is not on PATH")
    repo = Path(repo_dir).resolve()
    if not (repo / "flake.nix").is_file() and _flakes_in_folders(repo):
        # several flakes, none at the top (nixos/flake.nix, home-manager/flake.nix):
        # each evaluated as the flake it is, with its own inputs
        merged: dict = {"nixos": {}, "home": {}}
        for flake in _flakes_in_folders(repo):
            one = _evaluate(repo, channel_entries, flake, describe)
            merged["nixos"].update(one["nixos"])
            merged["home"].update(one["home"])
        return merged
    return _evaluate(repo, channel_entries, "flake.nix", describe)


def _flakes_in_folders(repo: Path) -> list[str]:
    found = []
    for pattern in ("*/flake.nix", "*/*/flake.nix"):
        found += [p.relative_to(repo).as_posix() for p in repo.glob(pattern)
                  if not any(part.startswith(".") for part in p.relative_to(repo).parts)]
    return sorted(found)


def _evaluate(repo: Path, channel_entries, flake_file: str, describe: tuple = ()) -> dict:
    texts = _nix_texts(repo)
    with tempfile.TemporaryDirectory(prefix="flake-eval-") as tmp_name:
        tmp = Path(tmp_name)
        if (repo / flake_file).is_file():
            mode = "flake"
            kinds = _flake_input_kinds(repo, flake_file)
            lookups: dict[str, set[str]] = {}
        else:
            mode = "channels"
            lookups = _channel_lookups(texts)
            names = {"nixpkgs", "home-manager"} | set(lookups)
            kinds = {name: _channel_kind(name) for name in names}
        inputs = []
        for name in sorted(kinds):
            directory = tmp / "inputs" / name
            _populate(directory, name, kinds[name], lookups.get(name, set()))
            inputs.append(
                {"name": name, "kind": kinds[name], "dir": str(directory), "modules": _module_refs(texts, name),
                 "overlays": _overlay_refs(texts, name)}
            )
        config = tmp / "config.json"
        settings = {"mode": mode, "repo": str(repo), "inputs": inputs, "flake": flake_file,
                    "describe": list(describe)}
        if channel_entries is not None:
            settings["channelHosts"] = [{"name": n, "path": p} for n, p in channel_entries["hosts"].items()]
            settings["channelHomes"] = [{"name": n, "path": p} for n, p in channel_entries["homes"].items()]
        config.write_text(json.dumps(settings))
        search_path = []
        if mode == "channels":
            for entry in inputs:
                search_path += ["-I", f"{entry['name']}={entry['dir']}"]
        expression = f"import {_nix_path(STUBS / 'evaluate.nix')} {_nix_path(config)}"
        return json.loads(_instantiate(search_path + ["--expr", expression], repo))


def _instantiate(args: list[str], repo: Path) -> str:
    # an empty NIX_PATH keeps the machine's own channels out of the evaluation
    env = dict(os.environ, NIX_PATH="")
    result = subprocess.run(
        [NIX_INSTANTIATE, "--eval", "--strict", "--json", "--readonly-mode", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if result.returncode != 0:
        raise NixEvalError(f"nix-instantiate failed on {repo}:\n{result.stderr}")
    return result.stdout


def _nix_texts(repo: Path) -> list[str]:
    texts = []
    for root, dirs, files in os.walk(repo):
        dirs[:] = [d for d in dirs if d != ".git"]
        texts.extend(
            (Path(root) / name).read_text(encoding="utf-8", errors="replace") for name in files if name.endswith(".nix")
        )
    return texts


def _module_refs(texts: list[str], name: str) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {}
    for text in texts:
        for match in _MODULE_REF.finditer(text):
            if match.group(1) == name:
                found.setdefault(match.group(2), set()).add(match.group(3))
    return {kind: sorted(names) for kind, names in sorted(found.items())}


def _overlay_refs(texts: list[str], name: str) -> list[str]:
    return sorted({m.group(2) for text in texts for m in _OVERLAY_REF.finditer(text) if m.group(1) == name})


def _channel_lookups(texts: list[str]) -> dict[str, set[str]]:
    lookups: dict[str, set[str]] = {}
    for text in texts:
        for match in _CHANNEL_REF.finditer(text):
            lookups.setdefault(match.group(1), set()).add(match.group(2))
    return lookups


def _channel_kind(name: str) -> str:
    if name == "home-manager":
        return "home-manager"
    return "nixpkgs" if _NIXPKGS_CHANNEL.match(name) else "other"


def _flake_input_kinds(repo: Path, flake_file: str = "flake.nix") -> dict[str, str]:
    """Input name -> which real project its stub stands for, from the declared url."""
    flake = _nix_path(repo / flake_file)
    raw = json.loads(
        _instantiate(
            [
                "--expr",
                f"let f = import {flake}; in {{ inputs = f.inputs or {{ }}; args = builtins.functionArgs f.outputs; }}",
            ],
            repo,
        )
    )
    declared = {name: spec if isinstance(spec, dict) else {"url": spec} for name, spec in raw["inputs"].items()}

    def kind(name: str, seen: frozenset = frozenset()) -> str:
        spec = declared.get(name, {})
        follows = spec.get("follows")
        if isinstance(follows, str) and follows in declared and follows not in seen:
            return kind(follows, seen | {name})
        url = spec.get("url")
        if url is None and "owner" in spec and "repo" in spec:
            url = f"{spec.get('type', 'github')}:{spec['owner']}/{spec['repo']}"
        if url is None:
            # an undeclared `outputs` argument is a registry input of that name
            url = name
        url = url.lower()
        if _NIXPKGS_URL.match(url):
            return "nixpkgs"
        if _HOME_MANAGER_URL.match(url) or url == "home-manager":
            return "home-manager"
        if _SNOWFALL_LIB_URL.match(url):
            return "snowfall-lib"
        if _FLAKE_PARTS_URL.match(url) or url == "flake-parts":
            return "flake-parts"
        if _FLAKE_UTILS_URL.match(url) or url == "flake-utils":
            return "flake-utils"
        if _IMPORT_TREE_URL.match(url) or url == "import-tree":
            return "import-tree"
        return "other"

    # `outputs = { self, nixpkgs, ... }` may name registry inputs it never declares
    names = (set(declared) | set(raw["args"])) - {"self"}
    return {name: kind(name) for name in names}


def _populate(directory: Path, name: str, kind: str, subpaths: set[str]) -> None:
    """The input's directory: what `import input` and `<name/...>` lookups reach."""
    directory.mkdir(parents=True)
    stub = (
        f"(import {_nix_path(STUBS / 'input.nix')} "
        f"{{ name = {_nix_str(name)}; kind = {_nix_str(kind)}; dir = {_nix_str(str(directory))}; }})"
    )
    if kind == "nixpkgs":
        files = {"default.nix": f"{stub}._pkgsFn\n", "lib/default.nix": f"{stub}.lib\n"}
    elif kind == "home-manager":
        files = {"nixos/default.nix": f"{stub}.nixosModules.home-manager\n"}
    else:
        files = {}
    files.setdefault("default.nix", f'throw "tests/nix_stubs: input {name} has no value to import"\n')
    for relative, text in files.items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    # a `<name/sub/path>` lookup fails unless the path exists; the walker
    # records it as external and never reads it
    for sub in subpaths:
        target = directory / sub.lstrip("/")
        if sub and not target.exists():
            target.mkdir(parents=True)


def _nix_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${") + '"'


def _nix_path(path: Path) -> str:
    return f"(/. + {_nix_str(str(path))})"
