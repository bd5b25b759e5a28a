"""A synthetic Wimpy-style repository of any size, for benchmarks.

    from synthetic import generate_wimpy_repo
    stats = generate_wimpy_repo(Path(tmp), modules=500, seed=0)

The repository has the shape of `sample-configs/wimpy-style` (DESIGN.md section 1):
`flake.nix` calling `libx.mkHome` / `libx.mkHost` from `lib/helpers.nix`, a
`nixos/default.nix` that imports `./${hostname}`, the per-user folder through
`lib.optional (builtins.pathExists (./. + "/_mixins/users/${username}")) ...` and
the desktop through `lib.optional (desktop != null) ./_mixins/desktop`, host folders
`nixos/<host>/{default,boot,disks,hardware}.nix`, `_mixins/<concern>/default.nix`
files that import their siblings (and sub-folders once a concern grows), Home Manager
modules with `home.file.".x".source = ./x.conf;` assets beside them, comments,
`lib.mkIf` bodies and `import` of a shared theme file, each module 1-3 KB.

Exactly `modules` `.nix` files are written. A few of them are deliberately never
imported (`stats["orphans"]`); every other one is reached by some host or Home
Manager configuration, or evaluated by the flake itself (`stats["flake_level"]`).
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Optional

# -- vocabulary ---------------------------------------------------------------------------

_HOST_WORDS = ["forge", "kestrel", "shard", "pebble", "ripper", "vortex", "quasar", "tanto",
               "skull", "zed", "phasma", "sidious", "palpatine", "trooper", "dooku", "revan"]
_USER_WORDS = ["dana", "martin", "alex", "kim", "sam", "robin", "jo", "lee"]
_DESKTOPS = ["gnome", "hyprland", "sway", "pantheon"]
_PACKAGES = ["git", "vim", "ripgrep", "fd", "bat", "eza", "htop", "btop", "jq", "curl", "wget",
             "tmux", "firefox", "alacritty", "neovim", "nodejs", "python3", "gcc", "gnumake",
             "unzip", "zip", "p7zip", "file", "tree", "ncdu", "dua", "duf", "yq-go", "sd",
             "hyperfine", "tokei", "difftastic", "delta", "lazygit", "gh", "age", "sops"]
_HM_PROGRAMS = ["git", "bash", "zsh", "fish", "starship", "direnv", "fzf", "tmux", "neovim",
                "kitty", "alacritty", "bat", "btop", "zoxide", "atuin", "helix", "yazi", "gpg"]
_NIXOS_SERVICES = ["openssh", "tailscale", "printing", "pipewire", "syncthing", "fwupd", "avahi",
                   "smartd", "jellyfin", "restic", "netdata", "cockpit", "nginx", "postgresql"]
_HM_SERVICES = ["gpg-agent", "syncthing", "dunst", "mako", "kanshi", "gammastep", "udiskie",
                "playerctld", "mpris-proxy", "easyeffects"]

_NIXOS_CONCERNS = ["console", "services", "hardware", "desktop"]
_HM_CONCERNS = ["console", "dev", "services", "desktop"]
_GROUP_SIZE = 16  # siblings per folder before a concern is split into sub-folders

_HEADER_COMMENTS = [
    "# Keep this module small: one concern per file.",
    "# Shared by every machine that imports the folder.",
    "# TODO: move the secrets to agenix once the key rotation is done.",
    "# Options documented at https://search.nixos.org/options",
    "# Copied from the old dotfiles repo, then cleaned up.",
]


# -- module bodies ------------------------------------------------------------------------


def _rel(from_file: str, to_file: str) -> str:
    rel = os.path.relpath(to_file, os.path.dirname(from_file) or ".")
    return rel if rel.startswith("..") else "./" + rel


class _Writer:
    def __init__(self, directory: Path, rng: random.Random):
        self.directory = directory
        self.rng = rng
        self.nix: dict[str, str] = {}
        self.assets: dict[str, str] = {}

    def module(self, path: str, text: str) -> None:
        assert path not in self.nix, path
        self.nix[path] = text

    def asset(self, path: str, text: str) -> None:
        self.assets[path] = text

    def write(self) -> int:
        total = 0
        for path, text in list(self.nix.items()) + list(self.assets.items()):
            full = self.directory / path
            full.parent.mkdir(parents=True, exist_ok=True)
            data = text.encode("utf-8")
            full.write_bytes(data)
            total += len(data)
        return total


def _nix_list(items: list[str], indent: str) -> str:
    return "".join(f"{indent}{item}\n" for item in items)


def _block_nixos(rng: random.Random, name: str, index: int) -> tuple[str, str]:
    """(top attribute path the block defines, text); a module never defines a path twice."""
    kind = rng.randrange(6)
    service = rng.choice(_NIXOS_SERVICES)
    if kind == 0:
        return f"services.{service}", (
            f"  # {service} for {name}; the port is fixed so the firewall rule matches.\n"
            f"  services.{service} = {{\n    enable = true;\n    openFirewall = false;\n"
            f"    settings = {{\n      port = {rng.randint(1024, 65000)};\n"
            f"      log_level = \"{rng.choice(['info', 'warn', 'debug'])}\";\n    }};\n  }};\n")
    if kind == 1:
        return "environment.systemPackages", (
            "  environment.systemPackages = with pkgs; [\n"
            + _nix_list(rng.sample(_PACKAGES, rng.randint(3, 9)), "    ")
            + "    # keep the list sorted\n  ];\n")
    if kind == 2:
        return f"systemd.services.{name}-{index}", (
            f"  systemd.services.{name}-{index} = lib.mkIf config.services.{service}.enable {{\n"
            f"    description = \"{name} helper #{index}\";\n"
            f"    wantedBy = [ \"multi-user.target\" ];\n    after = [ \"network-online.target\" ];\n"
            f"    serviceConfig = {{\n      Type = \"oneshot\";\n      DynamicUser = true;\n"
            f"      ExecStart = \"${{pkgs.coreutils}}/bin/true\";\n    }};\n  }};\n")
    if kind == 3:
        ports = " ".join(str(rng.randint(1024, 65000)) for _ in range(rng.randint(1, 4)))
        return "networking.firewall", (
            f"  networking.firewall = {{\n    allowedTCPPorts = [ {ports} ];\n"
            f"    # allowedUDPPorts = [ 5353 ];\n  }};\n")
    if kind == 4:
        return "boot.kernel.sysctl", (
            f"  boot.kernel.sysctl = lib.mkIf (desktop != null) {{\n"
            f"    \"vm.swappiness\" = {rng.randint(1, 60)};\n"
            f"    \"net.core.default_qdisc\" = \"fq\";\n  }};\n")
    shell = rng.choice(["fish", "zsh", "bash"])
    return f"programs.{shell}", (
        f"  programs.{shell}.shellAliases = {{\n"
        f"    ll = \"eza -l\";\n    gs = \"git status\";\n    rebuild = \"sudo nixos-rebuild switch --flake .\";\n  }};\n")


def _block_hm(rng: random.Random, w: _Writer, path: str, name: str, index: int) -> tuple[str, str]:
    kind = rng.randrange(6)
    program = rng.choice(_HM_PROGRAMS)
    directory = os.path.dirname(path)
    if kind == 0:
        asset = f"{name}-{index}.conf"
        w.asset(f"{directory}/{asset}", f"# {program} settings for {name}\nkey = value\nother = {index}\n")
        return f"home.file.{asset}", (
            f"  # {program} reads its settings from ~/.{name}-{index}.conf\n"
            f"  home.file.\".{name}-{index}.conf\".source = ./{asset};\n")
    if kind == 1:
        asset = f"{name}-{index}.toml"
        w.asset(f"{directory}/{asset}", f"[{program}]\nenable = true\nlevel = {index}\n")
        return f"xdg.configFile.{asset}", f"  xdg.configFile.\"{program}/{name}-{index}.toml\".source = ./{asset};\n"
    if kind == 2:
        quoted = '"' + program + '"'
        settings = "".join(f"    setting{k} = {rng.choice(['true', 'false', str(k), quoted])};\n"
                           for k in range(rng.randint(2, 6)))
        return f"programs.{program}", (
            f"  programs.{program} = {{\n    enable = true;\n{settings}"
            f"    extraConfig = ''\n      # a comment inside the string\n      set -g mouse on\n    '';\n  }};\n")
    if kind == 3:
        return "home.packages", ("  home.packages = with pkgs; [\n"
                                 + _nix_list(rng.sample(_PACKAGES, rng.randint(3, 9)), "    ") + "  ];\n")
    if kind == 4:
        service = rng.choice(_HM_SERVICES)
        return f"services.{service}", (
            f"  services.{service} = lib.mkIf isLinux {{\n    enable = true;\n"
            f"    # tuned on the laptop, harmless elsewhere\n    extraArgs = [ \"--verbose\" ];\n  }};\n")
    return "home.sessionVariables", (
        f"  home.sessionVariables = {{\n    {name.upper().replace('-', '_')}_{index} = \"1\";\n"
        f"    PAGER = \"less -R\";\n  }};\n")


def _module_text(rng: random.Random, w: _Writer, path: str, side: str, index: int,
                 imports: list[str] = (), extra: str = "", more_args: tuple[str, ...] = ()) -> str:
    name = os.path.splitext(os.path.basename(path))[0]
    if name == "default":
        name = os.path.basename(os.path.dirname(path))
    target = rng.randint(1000, 3000)
    args = ["config", "desktop"] + list(more_args) + ["lib", "pkgs"] + (["hostname", "username"] if rng.random() < 0.5 else [])
    theme = rng.random() < 0.25
    parts = [rng.choice(_HEADER_COMMENTS) + "\n", "{\n" + "".join(f"  {a},\n" for a in args) + "  ...\n}:\n"]
    let = []
    if side == "hm":
        let.append("  inherit (pkgs.stdenv) isLinux;\n")
    if theme:
        let.append(f"  palette = import {_rel(path, 'themes/default.nix')};\n")
    if let:
        parts.append("let\n" + "".join(let) + "in\n")
    parts.append("{\n")
    if imports:
        parts.append("  imports = [\n" + _nix_list(list(imports), "    ") + "  ];\n\n")
    parts.append(extra)
    if theme:
        parts.append("  # colours from the shared palette\n  environment.variables.ACCENT = palette.accent;\n\n"
                     if side == "nixos" else "  xdg.configFile.\"palette/accent\".text = palette.accent;\n\n")
    size = sum(map(len, parts))
    used: set[str] = set()
    attempts = 0
    while size < target and attempts < 200:
        attempts += 1
        key, block = _block_nixos(rng, name, index) if side == "nixos" else _block_hm(rng, w, path, name, index)
        index += 1
        if key in used:
            continue
        used.add(key)
        parts.append(block + "\n")
        size += len(block) + 1
    parts.append("}\n")
    return "".join(parts)


# -- the repository -----------------------------------------------------------------------


def _fixed_files(w: _Writer, hosts: list[dict], homes: list[dict]) -> None:
    home_lines = []
    for home in homes:
        fields = [f'hostname = "{home["hostname"]}";', f'username = "{home["username"]}";']
        if home["desktop"]:
            fields.append(f'desktop = "{home["desktop"]}";')
        if home.get("platform"):
            fields.append(f'platform = "{home["platform"]}";')
        home_lines.append(f'        "{home["key"]}" = libx.mkHome {{ {" ".join(fields)} }};\n')
    host_lines = []
    for host in hosts:
        fields = [f'hostname = "{host["name"]}";', f'username = "{host["username"]}";']
        if host["desktop"]:
            fields.append(f'desktop = "{host["desktop"]}";')
        if host["iso"]:
            fields.append('installer = nixpkgs + "/nixos/modules/installer/cd-dvd/installation-cd-minimal.nix";')
        host_lines.append(f'        {host["name"]} = libx.mkHost {{ {" ".join(fields)} }};\n')
    w.module("flake.nix", f"""{{
  description = "Synthetic Wimpy-style configs ({len(hosts)} hosts, {len(homes)} homes)";

  inputs = {{
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    home-manager.url = "github:nix-community/home-manager/release-24.05";
    home-manager.inputs.nixpkgs.follows = "nixpkgs";
    agenix.url = "github:ryantm/agenix";
    agenix.inputs.nixpkgs.follows = "nixpkgs";
    nixos-hardware.url = "github:NixOS/nixos-hardware/master";
  }};

  outputs =
    {{ self, nixpkgs, ... }}@inputs:
    let
      inherit (self) outputs;
      # Bump this ONLY when reinstalling a machine.
      stateVersion = "24.05";
      libx = import ./lib {{ inherit inputs outputs stateVersion; }};
    in
    {{
      # home-manager switch -b backup --flake $HOME/src/nix-config
      homeConfigurations = {{
{"".join(home_lines)}      }};

      # sudo nixos-rebuild switch --flake $HOME/src/nix-config
      nixosConfigurations = {{
{"".join(host_lines)}      }};

      overlays = import ./overlays {{ inherit inputs; }};
      formatter = libx.forAllSystems (system: nixpkgs.legacyPackages.${{system}}.nixfmt-rfc-style);
    }};
}}
""")
    w.module("lib/default.nix", """{
  inputs,
  outputs,
  stateVersion,
  ...
}:
let
  helpers = import ./helpers.nix { inherit inputs outputs stateVersion; };
in
{
  inherit (helpers)
    mkHome
    mkHost
    forAllSystems
    ;
}
""")
    w.module("lib/helpers.nix", """{
  inputs,
  outputs,
  stateVersion,
  ...
}:
{
  # Helper function for generating home-manager configs
  mkHome =
    {
      hostname,
      username,
      desktop ? null,
      platform ? "x86_64-linux",
    }:
    inputs.home-manager.lib.homeManagerConfiguration {
      pkgs = inputs.nixpkgs.legacyPackages.${platform};
      extraSpecialArgs = {
        inherit
          inputs
          outputs
          desktop
          hostname
          platform
          username
          stateVersion
          ;
      };
      modules = [ ../home-manager ];
    };

  # Helper function for generating host configs
  mkHost =
    {
      hostname,
      username,
      desktop ? null,
      installer ? null,
    }:
    inputs.nixpkgs.lib.nixosSystem {
      specialArgs = {
        inherit
          inputs
          outputs
          desktop
          hostname
          username
          stateVersion
          ;
      };
      modules = [
        ../nixos
        inputs.agenix.nixosModules.default
      ] ++ inputs.nixpkgs.lib.optionals (installer != null) [ installer ];
    };

  forAllSystems = inputs.nixpkgs.lib.genAttrs [
    "aarch64-linux"
    "x86_64-linux"
    # "aarch64-darwin"
  ];
}
""")
    w.module("overlays/default.nix", """# This file defines overlays
{ inputs, ... }:
{
  # This one brings our custom packages from the 'pkgs' directory
  additions = final: _prev: { };

  # https://nixos.wiki/wiki/Overlays
  modifications = final: prev: {
    # example = prev.example.overrideAttrs (oldAttrs: rec { ... });
  };

  # nixpkgs-unstable accessible through 'pkgs.unstable'
  unstable-packages = final: _prev: {
    unstable = import inputs.nixpkgs-unstable {
      system = final.system;
      config.allowUnfree = true;
    };
  };
}
""")
    w.module("themes/default.nix", """# Rose-ish palette shared by NixOS and Home Manager modules.
{
  base = "191724";
  surface = "1f1d2e";
  text = "e0def4";
  accent = "c4a7e7";
  ansi = [ "191724" "eb6f92" "9ccfd8" "f6c177" "31748f" "c4a7e7" "ebbcba" "e0def4" ];
}
""")
    w.module("nixos/default.nix", """{
  config,
  desktop,
  hostname,
  inputs,
  lib,
  modulesPath,
  outputs,
  pkgs,
  stateVersion,
  username,
  ...
}:
let
  palette = import ../themes/default.nix;
in
{
  imports =
    [
      (modulesPath + "/installer/scan/not-detected.nix")
      ./${hostname}
      ./_mixins/console
      ./_mixins/services
      ./_mixins/services/openssh.nix
    ]
    ++ lib.optional (builtins.pathExists (./. + "/_mixins/users/${username}")) ./_mixins/users/${username}
    ++ lib.optional (desktop != null) ./_mixins/desktop;

  boot = {
    consoleLogLevel = 0;
    initrd.verbose = false;
    kernelParams = [ "quiet" "udev.log_level=3" ];
    kernelPackages = lib.mkDefault pkgs.linuxPackages_6_6;
  };

  console.colors = palette.ansi;
  i18n.defaultLocale = "en_GB.UTF-8";
  time.timeZone = "Europe/London";

  networking = {
    hostName = hostname;
    useDHCP = lib.mkDefault true;
  };

  nixpkgs = {
    overlays = [
      outputs.overlays.additions
      outputs.overlays.modifications
      outputs.overlays.unstable-packages
    ];
    config.allowUnfree = true;
  };

  nix = {
    registry = lib.mapAttrs (_: value: { flake = value; }) inputs;
    nixPath = lib.mapAttrsToList (key: value: "${key}=${value.to.path}") config.nix.registry;
    settings = {
      auto-optimise-store = true;
      experimental-features = [ "nix-command" "flakes" ];
      trusted-users = [ "root" "@wheel" ];
    };
    gc = {
      automatic = true;
      dates = "weekly";
      options = "--delete-older-than 14d";
    };
  };

  security.sudo.wheelNeedsPassword = false;
  system.stateVersion = stateVersion;
}
""")
    w.module("home-manager/default.nix", """{
  config,
  desktop,
  hostname,
  inputs,
  lib,
  outputs,
  pkgs,
  platform,
  stateVersion,
  username,
  ...
}:
let
  inherit (pkgs.stdenv) isDarwin isLinux;
in
{
  # Only import desktop configuration if the host is desktop enabled
  # Only import user specific configuration if they have bespoke settings
  imports =
    [
      # outputs.homeManagerModules.example
      inputs.agenix.homeManagerModules.default
      ./_mixins/console
      ./_mixins/dev
      ./_mixins/services
    ]
    ++ lib.optional (builtins.pathExists (./. + "/_mixins/users/${username}")) ./_mixins/users/${username}
    ++ lib.optional (builtins.pathExists ./_mixins/users/${username}/hosts/${hostname}.nix) ./_mixins/users/${username}/hosts/${hostname}.nix
    ++ lib.optional (desktop != null) ./_mixins/desktop;

  home = {
    inherit stateVersion;
    inherit username;
    homeDirectory = if isDarwin then "/Users/${username}" else "/home/${username}";
    sessionVariables.EDITOR = "nvim";
  };

  nixpkgs = {
    overlays = [
      outputs.overlays.additions
      outputs.overlays.modifications
      outputs.overlays.unstable-packages
    ];
    config = {
      allowUnfree = true;
      allowUnfreePredicate = _: true;
    };
  };

  nix.package = lib.mkDefault pkgs.nix;
  programs.home-manager.enable = true;
  systemd.user.startServices = lib.mkIf isLinux "sd-switch";
  news.display = "silent";
}
""")


def _plan(modules: int, rng: random.Random, max_hosts: Optional[int] = None):
    host_count = max(3, modules // 100)
    if max_hosts is not None:
        host_count = max(3, min(host_count, max_hosts))
    user_count = max(2, host_count // 4)
    users = [_USER_WORDS[i % len(_USER_WORDS)] + (str(i // len(_USER_WORDS)) if i >= len(_USER_WORDS) else "")
             for i in range(user_count)]
    hosts = []
    for i in range(host_count):
        word = _HOST_WORDS[i % len(_HOST_WORDS)]
        name = "iso-console" if i == 0 else (word if i < len(_HOST_WORDS) else f"{word}{i // len(_HOST_WORDS)}")
        server = i % 4 == 3
        desktop = None if i == 0 or server else _DESKTOPS[(i - 1) % len(_DESKTOPS)]
        hosts.append({"name": name, "username": "nixos" if i == 0 else users[i % user_count],
                      "desktop": desktop, "iso": i == 0, "server": server})
    homes = []
    for i, host in enumerate(hosts):
        if host["iso"] or (host["server"] and i % 8 == 7):
            continue  # ISO images and some servers have no Home Manager entry
        homes.append({"key": f'{host["username"]}@{host["name"]}', "hostname": host["name"],
                      "username": host["username"], "desktop": host["desktop"]})
    # A rescue profile whose key's user part differs from `username`.
    first = next(h for h in hosts if h["desktop"])
    homes.append({"key": f'console@{first["name"]}', "hostname": first["name"], "username": first["username"],
                  "desktop": None})
    # Home Manager on machines that do not run NixOS.
    for k in range(max(1, host_count // 10)):
        homes.append({"key": f"deck@steamdeck{k}", "hostname": f"steamdeck{k}", "username": users[k % user_count],
                      "desktop": None})
    homes.append({"key": f"{users[0]}@quill", "hostname": "quill", "username": users[0], "desktop": None,
                  "platform": "aarch64-darwin"})
    return hosts, users, homes


def _concern(w: _Writer, rng: random.Random, folder: str, side: str, count: int, counter: list[int],
             head_imports: list[str] = (), fixed_members: list[str] = ()) -> None:
    """`folder/default.nix` importing its siblings; more than _GROUP_SIZE members go to sub-folders.
    `count` includes default.nix itself."""
    members = list(fixed_members)
    remaining = count - 1 - len(members)
    groups: list[tuple[str, int]] = []
    direct = min(max(0, remaining), _GROUP_SIZE - len(members))
    remaining -= direct
    words = {"console": "cli", "services": "svc", "hardware": "hw", "desktop": "app", "dev": "lang"}
    prefix = words.get(os.path.basename(folder), "mod")
    for k in range(direct):
        members.append(f"{prefix}{k:02d}.nix")
    g = 0
    while remaining > 0:
        size = min(remaining, _GROUP_SIZE + 1)
        groups.append((f"group{g:02d}", size))
        remaining -= size
        g += 1
    for member in members:
        if member.endswith(".nix") and f"{folder}/{member}" not in w.nix:
            counter[0] += 1
            path = f"{folder}/{member}"
            w.module(path, _module_text(rng, w, path, side, counter[0] * 100))
    imports = list(head_imports) + [f"./{m}" for m in members if m not in head_imports] + [f"./{g}" for g, _ in groups]
    path = f"{folder}/default.nix"
    w.module(path, _module_text(rng, w, path, side, counter[0] * 100 + 50, imports=imports))
    for group, size in groups:
        _concern(w, rng, f"{folder}/{group}", side, size, counter)


def generate_wimpy_repo(directory: Path, modules: int, seed: int = 0, max_hosts: Optional[int] = None) -> dict:
    """Write a Wimpy-style repository with exactly `modules` .nix files under `directory`.

    Hosts grow with `modules` (one per hundred) unless `max_hosts` caps them."""
    directory = Path(directory)
    rng = random.Random(seed)
    w = _Writer(directory, rng)
    hosts, users, homes = _plan(modules, rng, max_hosts)
    _fixed_files(w, hosts, homes)
    counter = [0]

    # Hosts: nixos/<host>/{default,boot,disks,hardware}.nix (ISO images: default.nix only).
    hardware_count = max(2, len(hosts) // 2)
    hardware = [f"hw{k:02d}.nix" for k in range(hardware_count)]
    for i, host in enumerate(hosts):
        folder = f"nixos/{host['name']}"
        parts = [] if host["iso"] else ["boot.nix", "disks.nix", "hardware.nix"]
        for part in parts:
            path = f"{folder}/{part}"
            w.module(path, _module_text(rng, w, path, "nixos", i * 1000 + len(w.nix)))
        picked = sorted({hardware[i % hardware_count], hardware[(i * 7 + 3) % hardware_count]})
        imports = (["inputs.nixos-hardware.nixosModules.common-pc-ssd"] + [f"./{p}" for p in parts]
                   + [f"../_mixins/hardware/{h}" for h in picked])
        path = f"{folder}/default.nix"
        w.module(path, f"# {host['name']}: generated host\n" + _module_text(rng, w, path, "nixos", i * 1000, imports=imports,
                                                                            more_args=("inputs",)))

    # Users: NixOS users folder for all but the last user (exercises pathExists false),
    # HM users folder for everyone, and per-host HM files for about half the entries.
    for u, user in enumerate(users):
        if u < len(users) - 1 or len(users) == 1:
            path = f"nixos/_mixins/users/{user}/default.nix"
            w.asset(f"keys/{user}.pub", f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA{user} {user}@example\n")
            extra = (f"  users.users.{user} = {{\n    isNormalUser = true;\n    extraGroups = [ \"wheel\" \"video\" ];\n"
                     f"    openssh.authorizedKeys.keyFiles = [ {_rel(path, f'keys/{user}.pub')} ];\n  }};\n\n")
            w.module(path, _module_text(rng, w, path, "nixos", 90000 + u, extra=extra))
        path = f"home-manager/_mixins/users/{user}/default.nix"
        w.module(path, _module_text(rng, w, path, "hm", 91000 + u))
    for k, home in enumerate(homes):
        path = f"home-manager/_mixins/users/{home['username']}/hosts/{home['hostname']}.nix"
        if k % 2 == 0 and path not in w.nix:
            w.module(path, _module_text(rng, w, path, "hm", 92000 + k))

    # Deliberate orphans: never imported by anything.
    orphan_count = max(1, modules // 100)
    orphans = []
    for k in range(orphan_count):
        side = "nixos" if k % 2 == 0 else "hm"
        path = (f"nixos/_mixins/services/legacy{k:02d}.nix" if side == "nixos"
                else f"home-manager/_mixins/console/unused{k:02d}.nix")
        w.module(path, "# Not imported any more; kept for reference.\n" + _module_text(rng, w, path, side, 95000 + k))
        orphans.append(path)

    # The rest goes to the _mixins concerns.
    remaining = modules - len(w.nix)
    desktops = sorted({h["desktop"] for h in hosts if h["desktop"]} | {h["desktop"] for h in homes if h["desktop"]})
    minimum = 4 + len(desktops) + 4 + len(desktops) + hardware_count + 4
    if remaining < minimum:
        raise ValueError(f"{modules} modules are too few for {len(hosts)} hosts and {len(homes)} homes "
                         f"(need at least {modules - remaining + minimum})")
    weights = {("nixos", "console"): 1, ("nixos", "services"): 3, ("nixos", "hardware"): 1,
               ("nixos", "desktop"): 2, ("hm", "console"): 3, ("hm", "dev"): 2, ("hm", "services"): 2,
               ("hm", "desktop"): 2}
    fixed = {("nixos", "services"): ["openssh.nix"], ("nixos", "hardware"): list(hardware),
             ("nixos", "desktop"): [f"{d}.nix" for d in desktops], ("hm", "desktop"): [f"{d}.nix" for d in desktops]}
    minimums = {key: len(fixed.get(key, [])) + 1 for key in weights}
    budget = remaining - sum(minimums.values())
    total_weight = sum(weights.values())
    shares = {key: minimums[key] + budget * weights[key] // total_weight for key in weights}
    shares[("hm", "console")] += remaining - sum(shares.values())
    for (side, concern), count in shares.items():
        folder = f"{'nixos' if side == 'nixos' else 'home-manager'}/_mixins/{concern}"
        members = fixed.get((side, concern), [])
        if concern == "hardware":
            # Hardware mixins are imported by the hosts, not by a default.nix.
            extra = count - len(members)
            for k, member in enumerate(members):
                path = f"{folder}/{member}"
                # Further hardware modules sit in a sub-folder pulled in by the first one.
                imports = ["./extra"] if k == 0 and extra > 0 else []
                w.module(path, _module_text(rng, w, path, side, len(w.nix) * 100, imports=imports))
            if extra > 0:
                _concern(w, rng, f"{folder}/extra", side, extra, counter)
            continue
        _concern(w, rng, folder, side, count, counter, head_imports=[], fixed_members=members)
        if concern == "desktop":
            path = f"{folder}/default.nix"
            # Import the host's desktop by name; its file is not in the sibling list.
            text = w.nix[path]
            for d in desktops:
                text = text.replace(f"    ./{d}.nix\n", "")
            w.nix[path] = text.replace("  imports = [\n", "  imports = [\n    ./${desktop}.nix\n", 1)
    assert len(w.nix) == modules, (len(w.nix), modules)
    total_bytes = w.write()
    nix_bytes = sum(len(t.encode("utf-8")) for t in w.nix.values())
    return {
        "modules": len(w.nix),
        "assets": len(w.assets),
        "hosts": [h["name"] for h in hosts],
        "homes": [h["key"] for h in homes],
        "users": users,
        "orphans": sorted(orphans),
        "flake_level": sorted(["flake.nix", "lib/default.nix", "lib/helpers.nix", "overlays/default.nix"]),
        "nix_bytes": nix_bytes,
        "total_bytes": total_bytes,
    }
