"""Where the interop data is: ``../shared/interop`` beside the project (see its README).

Official test vectors, the OB 3.0 schema and sample credentials are read
there, never copied in. ``BADGES_INTEROP_DIR`` points elsewhere. A clone
made away from that layout (``git clone . /tmp/x``) finds the data beside
the repository it was cloned from.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def _find() -> Path:
    configured = os.environ.get("BADGES_INTEROP_DIR")
    if configured:
        return Path(configured)
    beside = PROJECT.parent / "shared" / "interop"
    if beside.is_dir():
        return beside
    try:
        origin = subprocess.run(
            ["git", "-C", str(PROJECT), "config", "--get", "remote.origin.url"],
            capture_output=True, text=True, check=False).stdout.strip()
    except OSError:  # no git: nothing more to look at
        origin = ""
    if origin and Path(origin).is_dir():
        cloned_from = Path(origin).resolve().parent / "shared" / "interop"
        if cloned_from.is_dir():
            return cloned_from
    return beside  # missing: conftest stops the run and says where it looked


INTEROP = _find()
SAMPLES = INTEROP / "samples" / "ob30"
