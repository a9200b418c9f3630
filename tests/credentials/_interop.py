"""Paths and readers for the interop data beside the project (../shared/interop)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.interop_data import INTEROP, SAMPLES  # noqa: F401 - SAMPLES: for the test modules

W3C = INTEROP / "w3c-vc-di-eddsa" / "TestVectors"
OB_VECTOR = INTEROP / "ob3-impl-guide-vector"
CONTEXTS = Path(__file__).resolve().parents[2] / "badges" / "credentials" / "contexts"


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")
