"""Check the pynix-parser wheels pinned in nix/pynix-parser-wheels.json against PyPI.

    python nix/check_wheels.py            check every pin; exit 1 on a difference
    python nix/check_wheels.py --update   write the pins for the version in the file

For each system and CPython version of the file, `pip download` fetches the wheel
pip would choose for that platform; its sha256 (as the SRI hash Nix's fetchurl
takes) and its file name must equal the pin. `pip install --dry-run --report` gives
the address pip fetched it from, which must equal the pinned url. Needs the
network (PyPI) and pip; it is not a test, since tests run without a network.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PINS = Path(__file__).resolve().parent / "pynix-parser-wheels.json"
PROJECT = "pynix-parser"


def fetch(version: str, platform: str, python: str, scratch: Path) -> dict:
    """url, hash and file name of the wheel pip fetches for PLATFORM and cpPYTHON."""
    dotted = f"{python[2]}.{python[3:]}"
    selection = ["--no-deps", "--only-binary=:all:", "--platform", platform, "--python-version", dotted,
                 "--implementation", "cp", "--abi", python, f"{PROJECT}=={version}"]
    where = scratch / f"{platform}-{python}"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    _pip([*pip, "download", "-d", str(where), *selection])
    (wheel,) = where.glob("*.whl")
    digest = hashlib.sha256(wheel.read_bytes()).digest()
    report = where / "report.json"
    _pip([*pip, "install", "--dry-run", "--ignore-installed", "--target", str(where / "target"),
          "--report", str(report), *selection])
    (item,) = json.loads(report.read_text())["install"]
    return {"url": item["download_info"]["url"], "hash": "sha256-" + base64.b64encode(digest).decode(),
            "file": wheel.name}


def _pip(command: list[str]) -> None:
    # pip's warnings (an index location of the local configuration missing, ...) only
    # matter when it fails.
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="write the fetched pins instead of checking them")
    args = parser.parse_args(argv)
    pins = json.loads(PINS.read_text())
    differences = 0
    with tempfile.TemporaryDirectory(prefix="hm-migrate-wheels-") as scratch:
        for system, entry in pins["systems"].items():
            for python, pinned in entry["wheels"].items():
                fetched = fetch(pins["version"], entry["platform"], python, Path(scratch))
                name = Path(pinned["url"]).name if pinned.get("url") else "(none)"
                same = pinned.get("url") == fetched["url"] and pinned.get("hash") == fetched["hash"] \
                    and name == fetched["file"]
                print(f"{system:15} {python:6} {fetched['file']:60} {fetched['hash']}  "
                      f"{'ok' if same else 'DIFFERENT'}")
                if not same and not args.update:
                    differences += 1
                    print(f"    pinned:  {pinned.get('url')} {pinned.get('hash')}")
                    print(f"    fetched: {fetched['url']} {fetched['hash']}")
                pinned.update(url=fetched["url"], hash=fetched["hash"])
    if args.update:
        PINS.write_text(json.dumps(pins, indent=2) + "\n")
        print(f"wrote {PINS}")
        return 0
    print(f"{differences} difference(s)" if differences else "every pin equals what pip fetches")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
