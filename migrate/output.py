"""`--out DIR`: the migrated tree written to a new directory, all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from migrate.errors import MigrateError


def write_tree(plan, out: Path) -> None:
    """Write into a temporary sibling, then rename it into place, so an interrupted
    run leaves no half-written directory behind."""
    out = out.absolute()
    parent = out.parent
    if not parent.is_dir():
        raise MigrateError(f"{out}: its parent directory does not exist")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.hm-migrate-", dir=parent))
    except OSError as err:
        raise MigrateError(f"{out}: cannot write there ({err.strerror}); nothing was written") from None
    try:
        for path, data in sorted(plan.tree.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            mode = plan.modes.get(path, 0o100644)
            if mode == 0o120000:
                os.symlink(os.fsdecode(data), target)
                continue
            target.write_bytes(data)
            if mode == 0o100755:
                target.chmod(0o755)
        # rename(2) replaces an empty directory, so an empty --out is never removed first
        # (a failed rename would otherwise take the user's directory with it).
        os.rename(staging, out)
    except OSError as err:  # a full disk, a quota, a file name the filesystem refuses
        shutil.rmtree(staging, ignore_errors=True)
        what = f"{err.filename}: " if err.filename and not str(err.filename).startswith(str(staging)) else ""
        raise MigrateError(f"{out}: writing the migrated tree failed ({what}{err.strerror}); "
                           "nothing was written") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
